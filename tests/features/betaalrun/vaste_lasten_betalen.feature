# language: nl
Functionaliteit: De betaalrun betaalt elke inhouding precies één keer, aan de juiste rekening
  Pw art. 56a lid 2 (https://wetten.overheid.nl/BWBR0015703/2026-01-01), samengevat: betalingen
  "in naam van de belanghebbende … uit de toegekende bijstand" van "huur, gas, water en stroom
  en de verplichte zorgverzekering. It is withheld from the person's own bijstand, not extra
  money."

  Beleidsplan Integratie & Inburgering Purmerend, §3.2 Wat wijzigt er?:
  "Financiële ontzorging houdt in dat de gemeente de eerste zes maanden na binnenkomst in de
  gemeente een aantal vaste lasten voor statushouders betaalt (huur, energiekosten en verplichte
  verzekeringen). Het bedrag voor deze lasten verrekenen we met de bijstandsuitkering."

  Regels van de Nederlandse banken (Betaalvereniging Nederland, implementatierichtlijnen SEPA), samengevat: "`EndToEndId` comes back in
  camt.053/054 and in returns: make it traceable to household, contract and period." en
  "`NbOfTxs` and `CtrlSum` equal the real count and sum (per message and per `PmtInf`)".

  Ontwerp van ontzorgen (docs/import-format.md): "own IBAN (often none in the first weeks)".

  Achtergrond:
    Gegeven de gemeente Purmerend met betaaldag 24 en een minimum leefgeld van € 250,00 en € 75,00 per extra gezinslid
    En de begunstigde "Woonstichting De Key" met IBAN NL91ABNA0417164300 in Amsterdam
    En de begunstigde "Vattenfall" met IBAN NL20INGB0001234567 in Amsterdam
    En de begunstigde "Zilveren Kruis" met IBAN NL44RABO0123456789 in Zeist
    En huishouden HH-2027-0001: een alleenstaande asielstatushouder met recht op bijstand vanaf 1 december 2026 en rekening NL63TRIO0212345678 op naam van "A. Haile"
    En huishouden HH-2027-0001 heeft een huurcontract van € 712,00 per maand met "Woonstichting De Key" onder kenmerk "Huur Koestraat 14"
    En huishouden HH-2027-0001 heeft een stroomcontract van € 60,00 per maand met "Vattenfall" onder kenmerk "3600000012345678"
    En huishouden HH-2027-0001 heeft een zorgverzekering van € 158,00 per maand met "Zilveren Kruis" onder kenmerk "Polis 778899"

  Scenario: elke inhouding gaat één keer naar de IBAN van de begunstigde, met het kenmerk van het contract
    Als "anna" de betaalrun voor januari 2027 voorbereidt op 23 november 2026
    En "bram" de betaalrun accordeert op 23 november 2026
    En "bram" het betaalbestand exporteert op 23 november 2026
    Dan is de betaalrun "geëxporteerd"
    En bevat het betaalbestand 4 betalingen van samen € 1.331,43
    En betaalt het bestand € 712,00 aan "Woonstichting De Key" op IBAN NL91ABNA0417164300 met omschrijving "Huur Koestraat 14"
    En betaalt het bestand € 60,00 aan "Vattenfall" op IBAN NL20INGB0001234567 met betalingskenmerk "3600000012345678"
    En betaalt het bestand € 158,00 aan "Zilveren Kruis" op IBAN NL44RABO0123456789 met omschrijving "Polis 778899"
    En betaalt het bestand € 401,43 aan "A. Haile" op IBAN NL63TRIO0212345678 met omschrijving "Leefgeld januari 2027 Gemeente Purmerend"
    En wordt elke inhouding precies één keer betaald, met een eigen EndToEndId

  Scenario: zonder eigen IBAN wordt het leefgeld vastgehouden en in het verslag van de run genoemd
    Gegeven huishouden HH-2027-0002: een alleenstaande asielstatushouder met recht op bijstand vanaf 1 december 2026, zonder eigen IBAN
    En huishouden HH-2027-0002 heeft een huurcontract van € 712,00 per maand met "Woonstichting De Key" onder kenmerk "Huur Bloemstraat 3"
    Als "anna" de betaalrun voor januari 2027 voorbereidt op 23 november 2026
    Dan wordt € 619,43 leefgeld van HH-2027-0002 vastgehouden en in het verslag van de betaalrun genoemd
    En krijgt HH-2027-0002 geen leefgeld in de betaalrun
    Als "bram" de betaalrun accordeert op 23 november 2026
    En "bram" het betaalbestand exporteert op 23 november 2026
    Dan bevat het betaalbestand 5 betalingen van samen € 2.043,43
    En betaalt het bestand € 712,00 aan "Woonstichting De Key" op IBAN NL91ABNA0417164300 met omschrijving "Huur Bloemstraat 3"
    En betaalt het bestand € 712,00 aan "Woonstichting De Key" op IBAN NL91ABNA0417164300 met omschrijving "Huur Koestraat 14"
    En wordt elke inhouding precies één keer betaald, met een eigen EndToEndId
