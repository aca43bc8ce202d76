# language: nl
Functionaliteit: Vastgehouden leefgeld bereikt het huishouden zodra het een eigen rekening heeft
  Pw art. 56a lid 2: de gemeente betaalt "in naam van de belanghebbende … uit de toegekende
  bijstand" de vaste lasten; wat van de toegekende bijstand overblijft is het leefgeld van het
  huishouden. Zonder eigen rekening wordt het vastgehouden, niet ingehouden: het grootboek blijft
  het bedrag aan het huishouden verschuldigd tot het is betaald.

  Beleidsplan Integratie & Inburgering Purmerend, §3.2: "Het bedrag
  voor deze lasten verrekenen we met de bijstandsuitkering."

  Achtergrond:
    Gegeven de gemeente Purmerend met betaaldag 24 en een minimum leefgeld van € 250,00 en € 75,00 per extra gezinslid
    En de begunstigde "Woonstichting De Key" met IBAN NL91ABNA0417164300 in Amsterdam
    En huishouden HH-2027-0002: een alleenstaande asielstatushouder met recht op bijstand vanaf 1 december 2026, zonder eigen IBAN
    En huishouden HH-2027-0002 heeft een huurcontract van € 712,00 per maand met "Woonstichting De Key" onder kenmerk "Huur Bloemstraat 3"

  Scenario: de eerste betaalrun nadat het huishouden een eigen rekening heeft, betaalt het vastgehouden leefgeld één keer uit
    Als "anna" de betaalrun voor december 2026 voorbereidt op 23 november 2026
    En "bram" de betaalrun accordeert op 23 november 2026
    En "bram" het betaalbestand exporteert op 23 november 2026
    Dan wordt € 619,43 leefgeld van HH-2027-0002 vastgehouden en in het verslag van de betaalrun genoemd
    Als huishouden HH-2027-0002 krijgt rekening NL66ASNB0707070707 op naam van "M. Tesfay"
    En "anna" de betaalrun voor januari 2027 voorbereidt op 1 december 2026
    En "bram" de betaalrun accordeert op 1 december 2026
    En "bram" het betaalbestand exporteert op 1 december 2026
    Dan bevat het betaalbestand 3 betalingen van samen € 1.950,86
    En betaalt het bestand € 712,00 aan "Woonstichting De Key" op IBAN NL91ABNA0417164300 met omschrijving "Huur Bloemstraat 3"
    En betaalt het bestand € 619,43 aan "M. Tesfay" op IBAN NL66ASNB0707070707 met omschrijving "Leefgeld januari 2027 Gemeente Purmerend"
    En betaalt het bestand € 619,43 aan "M. Tesfay" op IBAN NL66ASNB0707070707 met omschrijving "Vastgehouden leefgeld december 2026 Gemeente Purmerend"
    En noemt het verslag van de betaalrun € 619,43 vastgehouden leefgeld van HH-2027-0002 uit december 2026 dat nu wordt uitbetaald
    En is het grootboek HH-2027-0002 niets meer verschuldigd
