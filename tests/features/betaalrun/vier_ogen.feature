# language: nl
Functionaliteit: Vier ogen: één reguliere run per maand, een tweede medewerker accordeert wat is voorbereid
  Ontwerp van ontzorgen (docs/payment-run.md): "a payment run turns all plans of
  a gemeente and period into balanced ledger transactions and payments, in one all-or-nothing
  step; a second person approves; the run is exported as one pain.001 file, stored immutably."

  Pw art. 56a lid 2 (https://wetten.overheid.nl/BWBR0015703/2026-01-01), samengevat: betalingen
  "in naam van de belanghebbende … uit de toegekende bijstand" van "huur, gas, water en stroom
  en de verplichte zorgverzekering".

  Beleidsplan Integratie & Inburgering Purmerend, §3.2: "Financiële
  ontzorging houdt in dat de gemeente de eerste zes maanden na binnenkomst in de gemeente een
  aantal vaste lasten voor statushouders betaalt (huur, energiekosten en verplichte
  verzekeringen)."

  Achtergrond:
    Gegeven de gemeente Purmerend met betaaldag 24 en een minimum leefgeld van € 250,00 en € 75,00 per extra gezinslid
    En de begunstigde "Woonstichting De Key" met IBAN NL91ABNA0417164300 in Amsterdam
    En huishouden HH-2027-0001: een alleenstaande asielstatushouder met recht op bijstand vanaf 1 december 2026 en rekening NL63TRIO0212345678 op naam van "A. Haile"
    En huishouden HH-2027-0001 heeft een huurcontract van € 712,00 per maand met "Woonstichting De Key" onder kenmerk "Huur Koestraat 14"

  Scenario: een tweede reguliere betaalrun voor dezelfde maand wordt geweigerd
    Als "anna" de betaalrun voor januari 2027 voorbereidt op 23 november 2026
    En "anna" een tweede reguliere betaalrun voor januari 2027 probeert aan te maken
    Dan wordt dat geweigerd met de melding "er is al een reguliere betaalrun"
    En is de betaalrun "voorbereid"

  Scenario: wie de betaalrun voorbereidde mag hem niet accorderen
    Als "anna" de betaalrun voor januari 2027 voorbereidt op 23 november 2026
    En "anna" de betaalrun probeert te accorderen op 23 november 2026
    Dan wordt dat niet toegestaan met de melding "vier ogen: wie de betaalrun voorbereidde mag hem niet accorderen"
    En is de betaalrun "voorbereid"

  Scenario: een nieuwe huurversie na het voorbereiden blokkeert het accorderen tot de run opnieuw is voorbereid
    Als "anna" de betaalrun voor januari 2027 voorbereidt op 23 november 2026
    En de huur van HH-2027-0001 wordt per 1 januari 2027 € 740,48
    En "bram" de betaalrun probeert te accorderen op 23 november 2026
    Dan wordt dat geweigerd met de melding "de gegevens zijn gewijzigd sinds het voorbereiden"
    En is de betaalrun "voorbereid"
    Als "anna" de betaalrun annuleert met reden "huurverhoging na het voorbereiden"
    En "anna" de betaalrun voor januari 2027 voorbereidt op 23 november 2026
    En "bram" de betaalrun accordeert op 23 november 2026
    En "bram" het betaalbestand exporteert op 23 november 2026
    Dan betaalt het bestand € 740,48 aan "Woonstichting De Key" op IBAN NL91ABNA0417164300 met omschrijving "Huur Koestraat 14"
    En betaalt het bestand € 590,95 aan "A. Haile" op IBAN NL63TRIO0212345678 met omschrijving "Leefgeld januari 2027 Gemeente Purmerend"

  Scenario: een gewijzigde IBAN van de begunstigde blokkeert het accorderen tot de run opnieuw is voorbereid
    Als "anna" de betaalrun voor januari 2027 voorbereidt op 23 november 2026
    En de IBAN van "Woonstichting De Key" wordt gewijzigd in NL66ASNB0707070707
    En "bram" de betaalrun probeert te accorderen op 23 november 2026
    Dan wordt dat geweigerd met de melding "de gegevens zijn gewijzigd sinds het voorbereiden"
    Als "anna" de betaalrun annuleert met reden "nieuwe rekening verhuurder"
    En "anna" de betaalrun voor januari 2027 voorbereidt op 23 november 2026
    En "bram" de betaalrun accordeert op 23 november 2026
    En "bram" het betaalbestand exporteert op 23 november 2026
    Dan betaalt het bestand € 712,00 aan "Woonstichting De Key" op IBAN NL66ASNB0707070707 met omschrijving "Huur Koestraat 14"
