# language: nl
Functionaliteit: Wat de bank antwoordt, wordt geboekt: niets raakt zoek, niets telt dubbel, elke maand sluit aan op nul
  Pw art. 56a lid 2 (https://wetten.overheid.nl/BWBR0015703/2026-01-01), samengevat: de gemeente
  betaalt "in naam van de belanghebbende … uit de toegekende bijstand" de vaste lasten aan de
  verhuurder en de leveranciers. Een betaling die terugkomt, is niet betaald: de verhuurder moet
  het geld alsnog krijgen, één keer.

  Beleidsplan Integratie & Inburgering Purmerend, §3.2 Wat wijzigt er?: "Op deze manier ontzorgen
  we statushouders en voorkomen we dat er schulden ontstaan in de beginperiode van hun verblijf
  in onze gemeente."

  Gemeentewet art. 212 lid 1 (https://wetten.overheid.nl/BWBR0005416/2026-01-01): de verordening
  "waarborgt dat aan de eisen van rechtmatigheid, verantwoording en controle wordt voldaan":
  de accountant stemt elke betaalrun en elke maand af op het bankafschrift.

  Regels van de Nederlandse banken (Betaalvereniging Nederland, implementatierichtlijnen SEPA),
  samengevat: "Returns arrive later as separate CRDT entries with `RtrInf/Rsn/Cd`, the original
  `EndToEndId` and the original beneficiary."

  Achtergrond:
    Gegeven de gemeente Purmerend met betaaldag 24 en een minimum leefgeld van € 250,00 en € 75,00 per extra gezinslid
    En de begunstigde "Woonstichting De Key" met IBAN NL91ABNA0417164300 in Amsterdam
    En de begunstigde "Vattenfall" met IBAN NL20INGB0001234567 in Amsterdam
    En huishouden HH-2027-0001: een alleenstaande asielstatushouder met recht op bijstand vanaf 1 december 2026 en rekening NL63TRIO0212345678 op naam van "A. Haile"
    En huishouden HH-2027-0001 heeft een huurcontract van € 712,00 per maand met "Woonstichting De Key" onder kenmerk "Huur Koestraat 14"
    En huishouden HH-2027-0001 heeft een stroomcontract van € 60,00 per maand met "Vattenfall" onder kenmerk "3600000012345678"
    En "anna" de betaalrun voor januari 2027 voorbereidt op 1 december 2026
    En "bram" de betaalrun accordeert op 1 december 2026
    En "bram" het betaalbestand exporteert op 1 december 2026

  Scenario: een batch die de bank afschrijft, sluit de vaste lasten van de run af
    Als de bank de vaste lasten van de run afschrijft op 24 december 2026
    En "carla" het bankbestand inleest op 24 december 2026
    Dan staat de betaling aan "Woonstichting De Key" als "uitgevoerd"
    En staat de betaling aan "Vattenfall" als "uitgevoerd"
    En is het saldo van de crediteur "Woonstichting De Key" € 0,00
    En is "Afgeschreven door de bank" in de afstemming van januari 2027 € 772,00

  Scenario: een huurbetaling die terugkomt (AC04) staat op de tussenrekening, met de reden in gewone woorden
    Als de bank de vaste lasten van de run afschrijft op 24 december 2026
    En "carla" het bankbestand inleest op 24 december 2026
    En de bank de betaling aan "Woonstichting De Key" terugboekt op 29 december 2026 met reden AC04
    En "carla" het bankbestand inleest op 29 december 2026
    Dan staat de betaling aan "Woonstichting De Key" als "teruggekomen" met reden "AC04: de rekening is opgeheven"
    En is het saldo van de tussenrekening € 712,00
    En is "Teruggekomen" in de afstemming van januari 2027 € 712,00
    En is het verschil in de afstemming van januari 2027 € 0,00 met 2 open posten

  Scenario: een geweigerde huurbetaling wordt na een nieuw IBAN één keer opnieuw betaald
    Als de bank de betaling aan "Woonstichting De Key" weigert met reden AC01
    En "carla" het bankbestand inleest op 2 december 2026
    En de IBAN van "Woonstichting De Key" wordt gewijzigd in NL66ASNB0707070707
    En "dirk" besluit de betaling aan "Woonstichting De Key" opnieuw te betalen met reden "Juiste IBAN van de verhuurder ontvangen"
    En "bram" het besluit accordeert
    En "anna" een correctierun voor januari 2027 voorbereidt op 3 december 2026 met reden "herbetaling na weigering"
    En "bram" de betaalrun accordeert op 3 december 2026
    En "bram" het betaalbestand exporteert op 3 december 2026
    Dan bevat het betaalbestand 1 betalingen van samen € 712,00
    En betaalt het bestand € 712,00 aan "Woonstichting De Key" op IBAN NL66ASNB0707070707 met omschrijving "Huur Koestraat 14"
    En is het saldo van de tussenrekening € 0,00
    En is "Opnieuw betaald" in de afstemming van januari 2027 € 712,00

  Scenario: hetzelfde afschrift twee keer inlezen boekt één keer
    Als de bank de vaste lasten van de run afschrijft op 24 december 2026
    En "carla" het bankbestand inleest op 24 december 2026
    En "carla" hetzelfde bankbestand nog eens inleest op 27 december 2026
    Dan meldt het inlezen dat het bestand al is ingelezen
    En is "Afgeschreven door de bank" in de afstemming van januari 2027 € 772,00
    En is het saldo van de bankrekening -€ 772,00

  Scenario: een onbekende bijschrijving staat ter controle en wordt afgeletterd aan een huishouden
    Als de bank een bijschrijving van € 43,12 boekt van "Vattenfall" met omschrijving "Eindafrekening HH-2027-0001" op 4 december 2026
    En "carla" het bankbestand inleest op 4 december 2026
    Dan staat er € 43,12 ter controle in de afstemming van december 2026, met als suggestie HH-2027-0001
    Als "carla" de bijschrijving van € 43,12 toewijst aan HH-2027-0001 met reden "Eindafrekening stroom"
    En "bram" het besluit accordeert
    En "anna" een correctierun voor januari 2027 voorbereidt op 7 december 2026 met reden "terugbetaling energie"
    En "bram" de betaalrun accordeert op 7 december 2026
    En "bram" het betaalbestand exporteert op 7 december 2026
    Dan betaalt het bestand € 43,12 aan "A. Haile" op IBAN NL63TRIO0212345678 met omschrijving "Ontvangen bedrag Gemeente Purmerend"
    En is "Ontvangen en afgeletterd" in de afstemming van december 2026 € 43,12

  Scenario: een maand met een retour, een herbetaling en een terugbetaling sluit aan op nul en de periode sluit
    Als de bank de vaste lasten van de run afschrijft op 24 december 2026
    En "carla" het bankbestand inleest op 24 december 2026
    En de bank de betaling aan "Vattenfall" terugboekt op 28 december 2026 met reden MS02
    En "carla" het bankbestand inleest op 28 december 2026
    En "dirk" besluit de betaling aan "Vattenfall" opnieuw te betalen met reden "Vattenfall bevestigt de rekening"
    En "bram" het besluit accordeert
    En "anna" een correctierun voor januari 2027 voorbereidt op 29 december 2026 met reden "herbetaling na retour"
    En "bram" de betaalrun accordeert op 29 december 2026
    En "bram" het betaalbestand exporteert op 29 december 2026
    En de bank de vaste lasten van de run afschrijft op 30 december 2026
    En "carla" het bankbestand inleest op 30 december 2026
    En de bank het leefgeld van de eerste run afschrijft op 31 december 2026
    En "carla" het bankbestand inleest op 31 december 2026
    Dan is het verschil in de afstemming van januari 2027 € 0,00 met 0 open posten
    # Verwacht: huur € 712,00 + stroom € 60,00 + leefgeld € 559,43 (bijstand € 1.401,50 min
    # € 70,07 vakantietoeslag, min de vaste lasten), en de herbetaling van € 60,00.
    En is "Verwacht (volgens de pain.001)" in de afstemming van januari 2027 € 1.391,43
    En is "Teruggekomen" in de afstemming van januari 2027 € 60,00
    En is "Opnieuw betaald" in de afstemming van januari 2027 € 60,00
    En kan "carla" de periode januari 2027 sluiten

  Scenario: een periode met een open post kan niet sluiten
    Als de bank de betaling aan "Vattenfall" weigert met reden AC04
    En "carla" het bankbestand inleest op 2 december 2026
    Dan kan "carla" de periode januari 2027 niet sluiten, met de melding "open posten"

  Scenario: wie over teruggekomen geld besluit, accordeert dat besluit niet zelf
    Als de bank de betaling aan "Woonstichting De Key" weigert met reden AC01
    En "carla" het bankbestand inleest op 2 december 2026
    En "dirk" besluit de betaling aan "Woonstichting De Key" opnieuw te betalen met reden "Juiste IBAN ontvangen"
    Dan mag "dirk" het besluit niet zelf accorderen
    En betaalt een correctierun het besluit niet zolang niemand anders het accordeerde
