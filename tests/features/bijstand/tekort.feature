# language: nl
Functionaliteit: Te weinig bijstand: volgorde, minimum leefgeld en tekort
  Pw art. 56a lid 2 (https://wetten.overheid.nl/BWBR0015703/2026-01-01) regelt niet wat er
  gebeurt als de bijstand niet alle vaste lasten dekt; de gemeente legt het vast in haar beleid:
  "de volgorde bij tekort (standaard huur, dan energie, water, zorgverzekering; nooit onder een
  minimum leefgeld; het tekort gemeld aan de consulent)".

  Ontwerp van ontzorgen (docs/rules.md): "the withholdings allowed in its ontzorgen window, in priority order,
  never below the gemeente's minimum leefgeld; what cannot be paid is flagged with its amount
  and reason, never dropped."

  Achtergrond:
    Gegeven het gemeentebeleid met een minimum leefgeld van € 250,00 en € 75,00 per extra gezinslid

  Scenario: met twee kostendelers reikt de bijstand alleen tot een deel van de huur
    Gegeven een alleenstaande asielstatushouder, inburgeringsplichtig onder de Wi2021, met recht op bijstand vanaf 1 december 2026
    En het huishouden deelt de woning met 2 kostendelende medebewoners
    En een huurcontract van € 712,00 per maand met Woonstichting De Key
    En een stroomcontract van € 60,00 per maand met Vattenfall
    En een gascontract van € 75,00 per maand met Vattenfall
    En een watercontract van € 22,50 per maand met Waternet
    En een zorgverzekering van € 158,00 per maand bij Zilveren Kruis
    Als het maandplan voor december 2026 wordt gemaakt
    Dan is de bijstand € 824,21
    En wordt € 574,21 ingehouden voor huur en betaald aan Woonstichting De Key
    En is er een tekort van € 137,79 op huur
    En is de regel "beleid gemeente: volgorde bij tekort"
    En is er een tekort van € 60,00 op stroom
    En is er een tekort van € 75,00 op gas
    En is er een tekort van € 22,50 op water
    En is er een tekort van € 158,00 op zorgverzekering
    En ontvangt het huishouden € 250,00 leefgeld
    En krijgt de consulent het signaal "shortfall"

  Scenario: de gemeente kiest een andere volgorde
    Gegeven de volgorde bij tekort is zorgverzekering, huur, stroom, gas, water
    En een alleenstaande asielstatushouder, inburgeringsplichtig onder de Wi2021, met recht op bijstand vanaf 1 december 2026
    En het huishouden deelt de woning met 2 kostendelende medebewoners
    En een huurcontract van € 712,00 per maand met Woonstichting De Key
    En een zorgverzekering van € 158,00 per maand bij Zilveren Kruis
    Als het maandplan voor december 2026 wordt gemaakt
    Dan wordt € 158,00 ingehouden voor zorgverzekering en betaald aan Zilveren Kruis
    En wordt € 416,21 ingehouden voor huur en betaald aan Woonstichting De Key
    En is er een tekort van € 295,79 op huur
    En ontvangt het huishouden € 250,00 leefgeld

  Scenario: bijstand onder het minimum leefgeld: niets wordt ingehouden
    Gegeven een alleenstaande asielstatushouder, inburgeringsplichtig onder de Wi2021, met recht op bijstand vanaf 1 december 2026
    En een huurcontract van € 712,00 per maand met Woonstichting De Key
    En een zorgverzekering van € 158,00 per maand bij Zilveren Kruis
    En inkomsten "inkomsten uit deeltijdwerk" van € 1.200,00 in december 2026
    Als het maandplan voor december 2026 wordt gemaakt
    Dan wordt in totaal € 0,00 ingehouden
    En is er een tekort van € 712,00 op huur
    En is er een tekort van € 158,00 op zorgverzekering
    En ontvangt het huishouden € 131,43 leefgeld
    En krijgt de consulent het signaal "bijstand_below_minimum"

  Scenario: het minimum leefgeld groeit met het aantal gezinsleden
    Gegeven een alleenstaande ouder asielstatushouder, inburgeringsplichtig onder de Wi2021, met recht op bijstand vanaf 1 december 2026
    En het huishouden heeft 2 kinderen
    En een huurcontract van € 712,00 per maand met Woonstichting De Key
    En een stroomcontract van € 60,00 per maand met Vattenfall
    En een gascontract van € 75,00 per maand met Vattenfall
    En een watercontract van € 22,50 per maand met Waternet
    En een zorgverzekering van € 158,00 per maand bij Zilveren Kruis
    Als het maandplan voor december 2026 wordt gemaakt
    Dan wordt € 61,93 ingehouden voor zorgverzekering en betaald aan Zilveren Kruis
    En is er een tekort van € 96,07 op zorgverzekering
    En ontvangt het huishouden € 400,00 leefgeld

  Scenario: een volle huur in een halve eerste maand
    Gegeven een alleenstaande asielstatushouder, inburgeringsplichtig onder de Wi2021, met recht op bijstand vanaf 15 december 2026
    En een huurcontract van € 712,00 per maand met Woonstichting De Key vanaf 1 november 2026
    Als het maandplan voor december 2026 wordt gemaakt
    Dan wordt € 593,04 ingehouden voor huur en betaald aan Woonstichting De Key
    En is er een tekort van € 118,96 op huur
    En ontvangt het huishouden € 137,10 leefgeld
