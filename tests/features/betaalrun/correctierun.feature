# language: nl
Functionaliteit: Een correctierun betaalt alleen het verschil, en wat te veel is betaald wordt een vordering
  Pw art. 56a lid 2: de gemeente betaalt "in naam van de belanghebbende … uit de toegekende
  bijstand"; nooit meer dan de toegekende bijstand, en nooit twee keer.

  Pw art. 54 lid 3 en art. 58 lid 2: een besluit over een maand die al is betaald wordt herzien;
  wat daardoor te veel is betaald, kan het college terugvorderen. Een correctierun boekt dat als
  vordering op het huishouden, zichtbaar in het verslag van de run, en verrekent het niet stil.

  Beleidsplan Integratie & Inburgering Purmerend, §3.2: "Het bedrag
  voor deze lasten verrekenen we met de bijstandsuitkering."

  Achtergrond:
    Gegeven de gemeente Purmerend met betaaldag 24 en een minimum leefgeld van € 250,00 en € 75,00 per extra gezinslid
    En de begunstigde "Woonstichting De Key" met IBAN NL91ABNA0417164300 in Amsterdam
    En de begunstigde "Vattenfall" met IBAN NL20INGB0001234567 in Amsterdam
    En huishouden HH-2027-0001: een alleenstaande asielstatushouder met recht op bijstand vanaf 1 december 2026 en rekening NL63TRIO0212345678 op naam van "A. Haile"
    En huishouden HH-2027-0001 heeft een huurcontract van € 712,00 per maand met "Woonstichting De Key" onder kenmerk "Huur Koestraat 14"
    En huishouden HH-2027-0001 heeft een stroomcontract van € 60,00 per maand met "Vattenfall" onder kenmerk "3600000012345678"

  Scenario: een te laat doorgegeven huurverhoging: het verschil naar de verhuurder, het te veel betaalde leefgeld wordt een vordering
    Als "anna" de betaalrun voor januari 2027 voorbereidt op 1 december 2026
    En "bram" de betaalrun accordeert op 1 december 2026
    En "bram" het betaalbestand exporteert op 1 december 2026
    En de huur van HH-2027-0001 wordt per 1 januari 2027 € 725,00
    En "anna" een correctierun voor januari 2027 voorbereidt op 10 december 2026 met reden "huurverhoging te laat doorgegeven"
    En "bram" de betaalrun accordeert op 10 december 2026
    En "bram" het betaalbestand exporteert op 10 december 2026
    Dan bevat het betaalbestand 1 betalingen van samen € 13,00
    En betaalt het bestand € 13,00 aan "Woonstichting De Key" op IBAN NL91ABNA0417164300 met omschrijving "Huur Koestraat 14"
    En staat in het verslag van de betaalrun een vordering van € 13,00 op HH-2027-0001 voor leefgeld januari 2027
    En is de bijstand van januari 2027 voor elk huishouden precies één keer geboekt
    En is het grootboek HH-2027-0001 niets meer verschuldigd
    Als "anna" nog een correctierun voor januari 2027 probeert voor te bereiden op 10 december 2026 met reden "nog eens"
    Dan wordt dat geweigerd met de melding "geen verschil"

  Scenario: een huurverlaging: het huishouden krijgt het verschil, de te veel betaalde huur wordt een vordering
    Als "anna" de betaalrun voor januari 2027 voorbereidt op 1 december 2026
    En "bram" de betaalrun accordeert op 1 december 2026
    En "bram" het betaalbestand exporteert op 1 december 2026
    En de huur van HH-2027-0001 wordt per 1 januari 2027 € 700,00
    En "anna" een correctierun voor januari 2027 voorbereidt op 10 december 2026 met reden "huur verlaagd"
    En "bram" de betaalrun accordeert op 10 december 2026
    En "bram" het betaalbestand exporteert op 10 december 2026
    Dan bevat het betaalbestand 1 betalingen van samen € 12,00
    En betaalt het bestand € 12,00 aan "A. Haile" op IBAN NL63TRIO0212345678 met omschrijving "Leefgeld correctie januari 2027 Gemeente Purmerend"
    En staat in het verslag van de betaalrun een vordering van € 12,00 op HH-2027-0001 voor huur januari 2027 aan Woonstichting De Key
    En is het grootboek HH-2027-0001 niets meer verschuldigd

  Scenario: een huishouden dat na de betaalrun is ingeschreven krijgt zijn hele maand, de anderen niets
    Als "anna" de betaalrun voor januari 2027 voorbereidt op 1 december 2026
    En "bram" de betaalrun accordeert op 1 december 2026
    En "bram" het betaalbestand exporteert op 1 december 2026
    Gegeven huishouden HH-2027-0003: een alleenstaande asielstatushouder met recht op bijstand vanaf 1 december 2026 en rekening NL66ASNB0707070707 op naam van "M. Tesfay"
    En huishouden HH-2027-0003 heeft een huurcontract van € 712,00 per maand met "Woonstichting De Key" onder kenmerk "Huur Bloemstraat 3"
    Als "anna" een correctierun voor januari 2027 voorbereidt op 10 december 2026 met reden "huishouden te laat ingeschreven"
    En "bram" de betaalrun accordeert op 10 december 2026
    En "bram" het betaalbestand exporteert op 10 december 2026
    Dan bevat het betaalbestand 2 betalingen van samen € 1.331,43
    En betaalt het bestand € 712,00 aan "Woonstichting De Key" op IBAN NL91ABNA0417164300 met omschrijving "Huur Bloemstraat 3"
    En betaalt het bestand € 619,43 aan "M. Tesfay" op IBAN NL66ASNB0707070707 met omschrijving "Leefgeld januari 2027 Gemeente Purmerend"
    En krijgt HH-2027-0001 niets in de betaalrun
    En is de bijstand van januari 2027 voor elk huishouden precies één keer geboekt

  Scenario: vastgehouden leefgeld van de maand zelf wordt door de correctierun uitbetaald als de rekening er is
    Gegeven huishouden HH-2027-0002: een alleenstaande asielstatushouder met recht op bijstand vanaf 1 december 2026, zonder eigen IBAN
    En huishouden HH-2027-0002 heeft een huurcontract van € 712,00 per maand met "Woonstichting De Key" onder kenmerk "Huur Bloemstraat 3"
    Als "anna" de betaalrun voor januari 2027 voorbereidt op 1 december 2026
    En "bram" de betaalrun accordeert op 1 december 2026
    En "bram" het betaalbestand exporteert op 1 december 2026
    Dan wordt € 619,43 leefgeld van HH-2027-0002 vastgehouden en in het verslag van de betaalrun genoemd
    Als huishouden HH-2027-0002 krijgt rekening NL66ASNB0707070707 op naam van "M. Tesfay"
    En "anna" een correctierun voor januari 2027 voorbereidt op 10 december 2026 met reden "eigen rekening geopend"
    En "bram" de betaalrun accordeert op 10 december 2026
    En "bram" het betaalbestand exporteert op 10 december 2026
    Dan bevat het betaalbestand 1 betalingen van samen € 619,43
    En betaalt het bestand € 619,43 aan "M. Tesfay" op IBAN NL66ASNB0707070707 met omschrijving "Vastgehouden leefgeld januari 2027 Gemeente Purmerend"
    En noemt het verslag van de betaalrun € 619,43 vastgehouden leefgeld van HH-2027-0002 uit januari 2027 dat nu wordt uitbetaald
    En is de bijstand van januari 2027 voor elk huishouden precies één keer geboekt
    En is het grootboek HH-2027-0002 niets meer verschuldigd
