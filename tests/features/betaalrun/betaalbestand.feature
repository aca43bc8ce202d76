# language: nl
Functionaliteit: Het betaalbestand volgt de regels van de Nederlandse banken
  Regels van de Nederlandse banken (Betaalvereniging Nederland, implementatierichtlijnen SEPA), samengevat: "`ReqdExctnDt` must be a
  TARGET2 business day." — TARGET-sluitingsdagen zijn onder meer 25 en 26 december; de vaste
  lasten moeten er op de 1e zijn, dus de datum schuift naar voren, nooit naar achteren.

  Betaalvereniging Nederland, samengevat: "**Structured addresses are mandatory since 15 November 2026**:
  orders whose creditor address is only unstructured are rejected. Send at least `TwnNm` and
  `Ctry`".

  Betaalvereniging Nederland, samengevat: "Dutch **betalingskenmerk** (on energy and insurance invoices) goes
  in `Strd/CdtrRefInf` with `Tp/CdOrPrtry/Cd` = SCOR and `Tp/Issr` = CUR."

  Pw art. 56a lid 2 (https://wetten.overheid.nl/BWBR0015703/2026-01-01): de vaste lasten worden "in naam van de belanghebbende … uit de
  toegekende bijstand" betaald.

  Scenario: een betalingskenmerk staat gestructureerd in het bestand
    Gegeven de gemeente Purmerend met betaaldag 24 en een minimum leefgeld van € 250,00 en € 75,00 per extra gezinslid
    En de begunstigde "Vattenfall" met IBAN NL20INGB0001234567 in Amsterdam
    En huishouden HH-2027-0001: een alleenstaande asielstatushouder met recht op bijstand vanaf 1 december 2026 en rekening NL63TRIO0212345678 op naam van "A. Haile"
    En huishouden HH-2027-0001 heeft een gascontract van € 75,00 per maand met "Vattenfall" onder kenmerk "3600000012345678"
    Als "anna" de betaalrun voor januari 2027 voorbereidt op 23 november 2026
    En "bram" de betaalrun accordeert op 23 november 2026
    En "bram" het betaalbestand exporteert op 23 november 2026
    Dan betaalt het bestand € 75,00 aan "Vattenfall" op IBAN NL20INGB0001234567 met betalingskenmerk "3600000012345678"
    En staat betalingskenmerk "3600000012345678" in Strd/CdtrRefInf met code "SCOR" en uitgever "CUR"

  Abstract Scenario: de uitvoeringsdatum schuift naar de werkdag vóór 25 en 26 december
    Gegeven de gemeente Purmerend met betaaldag <dag> en een minimum leefgeld van € 250,00 en € 75,00 per extra gezinslid
    En de begunstigde "Woonstichting De Key" met IBAN NL91ABNA0417164300 in Amsterdam
    En huishouden HH-2027-0001: een alleenstaande asielstatushouder met recht op bijstand vanaf 1 december 2026 en rekening NL63TRIO0212345678 op naam van "A. Haile"
    En huishouden HH-2027-0001 heeft een huurcontract van € 712,00 per maand met "Woonstichting De Key" onder kenmerk "Huur Koestraat 14"
    Als "anna" de betaalrun voor januari 2027 voorbereidt op 23 november 2026
    En "bram" de betaalrun accordeert op 23 november 2026
    En "bram" het betaalbestand exporteert op 23 november 2026
    Dan is de uitvoeringsdatum van de vaste lasten <uitvoering>
    En betaalt het bestand € 712,00 aan "Woonstichting De Key" op IBAN NL91ABNA0417164300 met omschrijving "Huur Koestraat 14"

    Voorbeelden:
      | dag | uitvoering       |
      | 23  | 23 december 2026 |
      | 24  | 24 december 2026 |
      | 25  | 24 december 2026 |
      | 26  | 24 december 2026 |
      | 28  | 28 december 2026 |

  Scenario: een begunstigde zonder plaats houdt de run tegen en de melding noemt de begunstigde
    Gegeven de gemeente Purmerend met betaaldag 24 en een minimum leefgeld van € 250,00 en € 75,00 per extra gezinslid
    En de begunstigde "Waternet" met IBAN NL66ASNB0707070707 zonder plaats
    En huishouden HH-2027-0001: een alleenstaande asielstatushouder met recht op bijstand vanaf 1 december 2026 en rekening NL63TRIO0212345678 op naam van "A. Haile"
    En huishouden HH-2027-0001 heeft een watercontract van € 22,50 per maand met "Waternet" onder kenmerk "Water 2027 0001"
    Als "anna" de betaalrun voor januari 2027 probeert voor te bereiden op 23 november 2026
    Dan kan de betaalrun niet worden voorbereid omdat betaalontvanger "Waternet" geen plaats heeft
    En is de betaalrun "in de wachtrij"
