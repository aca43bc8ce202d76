# language: nl
Functionaliteit: Voorschot verrekenen, inkomsten en aflossingen
  Pw art. 52 (https://wetten.overheid.nl/BWBR0015703/2026-01-01), samengevat: "while the right is not yet
  fixed, at least 95 % of the bijstand, within four weeks of the application and then every
  four weeks, as an interest-free loan; set off later against the bijstand without machtiging."

  Pw art. 51 (https://wetten.overheid.nl/BWBR0015703/2026-01-01), samengevat: "bijzondere bijstand for furnishing is usually a
  loan (inrichtingskrediet), repaid in instalments that fit the person's means."

  Pw art. 31 en 32 (middelen): inkomsten worden in mindering gebracht op de bijstand.

  Keuze van dit project (docs/rules.md): eerst de vaste lasten, dan het voorschot, dan de
  aflossing; alleen met wat boven het minimum leefgeld overblijft. Wat niet past, schuift door
  naar de volgende maand.

  Achtergrond:
    Gegeven het gemeentebeleid met een minimum leefgeld van € 250,00 en € 75,00 per extra gezinslid
    En een alleenstaande asielstatushouder, inburgeringsplichtig onder de Wi2021, met recht op bijstand vanaf 1 december 2026

  Abstract Scenario: het voorschot wordt verrekend boven het minimum leefgeld, maand na maand
    Gegeven een huurcontract van € 712,00 per maand met Woonstichting De Key
    En een voorschot van € 1.264,86 betaald op 10 december 2026
    Als het maandplan voor <maand> wordt gemaakt
    Dan wordt € 712,00 ingehouden voor huur en betaald aan Woonstichting De Key
    En wordt <verrekend> voorschot verrekend
    En ontvangt het huishouden <leefgeld> leefgeld

    Voorbeelden:
      | maand         | verrekend | leefgeld |
      | december 2026 | € 369,43  | € 250,00 |
      | januari 2027  | € 369,43  | € 250,00 |
      | februari 2027 | € 369,43  | € 250,00 |
      | maart 2027    | € 156,57  | € 462,86 |
      | april 2027    | € 0,00    | € 619,43 |

  Scenario: het openstaande voorschot wordt gesignaleerd
    Gegeven een huurcontract van € 712,00 per maand met Woonstichting De Key
    En een voorschot van € 1.264,86 betaald op 10 december 2026
    Als het maandplan voor december 2026 wordt gemaakt
    Dan wordt € 369,43 voorschot verrekend
    En is de regel "Pw art. 52"
    En krijgt de consulent het signaal "voorschot_outstanding"

  Scenario: inkomsten uit deeltijdwerk gaan af van de bijstand
    Gegeven een huurcontract van € 712,00 per maand met Woonstichting De Key
    En inkomsten "inkomsten uit deeltijdwerk" van € 300,00 in januari 2027
    Als het maandplan voor januari 2027 wordt gemaakt
    Dan wordt € 300,00 in mindering gebracht wegens "inkomsten uit deeltijdwerk"
    En is de regel "Pw art. 31 en 32"
    En wordt € 712,00 ingehouden voor huur en betaald aan Woonstichting De Key
    En ontvangt het huishouden € 319,43 leefgeld

  Scenario: de aflossing van het inrichtingskrediet gaat naar de gemeente
    Gegeven een huurcontract van € 712,00 per maand met Woonstichting De Key
    En een stroomcontract van € 60,00 per maand met Vattenfall
    En een gascontract van € 75,00 per maand met Vattenfall
    En een watercontract van € 22,50 per maand met Waternet
    En een zorgverzekering van € 158,00 per maand bij Zilveren Kruis
    En een aflossing "aflossing inrichtingskrediet" van € 50,00 per maand vanaf december 2026
    Als het maandplan voor december 2026 wordt gemaakt
    Dan wordt € 50,00 afgelost aan de gemeente wegens "aflossing inrichtingskrediet"
    En is de regel "Pw art. 51"
    En ontvangt het huishouden € 253,93 leefgeld

  Scenario: een aflossing die niet past boven het minimum leefgeld is een tekort
    Gegeven een huurcontract van € 712,00 per maand met Woonstichting De Key
    En een stroomcontract van € 60,00 per maand met Vattenfall
    En een gascontract van € 75,00 per maand met Vattenfall
    En een watercontract van € 22,50 per maand met Waternet
    En een zorgverzekering van € 158,00 per maand bij Zilveren Kruis
    En een aflossing "aflossing inrichtingskrediet" van € 80,00 per maand vanaf december 2026
    Als het maandplan voor december 2026 wordt gemaakt
    Dan wordt € 53,93 afgelost aan de gemeente wegens "aflossing inrichtingskrediet"
    En is er een tekort van € 26,07 op aflossing inrichtingskrediet
    En ontvangt het huishouden € 250,00 leefgeld
