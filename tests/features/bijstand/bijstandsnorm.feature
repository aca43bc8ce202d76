# language: nl
Functionaliteit: De bijstand van de maand: norm, kostendelersnorm en vakantietoeslag
  Pw art. 19 lid 3 (https://wetten.overheid.nl/BWBR0015703/2026-01-01), samengevat: "Norms include
  vakantietoeslag: VT = 5 % of the norm, so the monthly payment is 95 % of the norm and 5 %
  accrues."

  Pw art. 22a (https://wetten.overheid.nl/BWBR0015703/2026-01-01), samengevat: "norm = (40 + A × 30) / (A × 100) × B, with A
  the number of kostendelende medebewoners including the person (and spouse), B the gehuwden
  norm. A kostendeler is 27 or older (art. 19a, since 1-1-2023). 1-1-2026 per person: A=2
  € 1.001,07, A=3 € 867,59, A=4 € 800,85, A=5 € 760,81."

  Netto normbedragen (SZW Normenbrief 1 januari 2026, Participatiewet art. 21): alleenstaande € 1.401,50 en gehuwden
  € 2.002,13 per 1-1-2026; € 1.369,06 en € 1.955,80 per 1-7-2025, inclusief vakantietoeslag.

  Achtergrond:
    Gegeven het gemeentebeleid met een minimum leefgeld van € 250,00 en € 75,00 per extra gezinslid

  Scenario: alleenstaande op de norm van 1 januari 2026
    Gegeven een alleenstaande asielstatushouder, inburgeringsplichtig onder de Wi2021, met recht op bijstand vanaf 1 december 2026
    Als het maandplan voor december 2026 wordt gemaakt
    Dan is de bijstand € 1.331,43
    En is de regel "Pw art. 21"
    En is de reservering vakantietoeslag € 70,07
    En is de regel "Pw art. 19 lid 3"

  Scenario: gehuwden op de norm van 1 januari 2026
    Gegeven gehuwde asielstatushouders, inburgeringsplichtig onder de Wi2021, met recht op bijstand vanaf 1 december 2026
    Als het maandplan voor december 2026 wordt gemaakt
    Dan is de bijstand € 1.902,02
    En is de reservering vakantietoeslag € 100,11

  Scenario: alleenstaande op de norm van 1 juli 2025
    Gegeven een alleenstaande asielstatushouder, inburgeringsplichtig onder de Wi2021, met recht op bijstand vanaf 1 september 2025
    Als het maandplan voor september 2025 wordt gemaakt
    Dan is de bijstand € 1.300,61
    En is de reservering vakantietoeslag € 68,45

  Abstract Scenario: kostendelersnorm voor een alleenstaande
    Gegeven een alleenstaande asielstatushouder, inburgeringsplichtig onder de Wi2021, met recht op bijstand vanaf 1 december 2026
    En het huishouden deelt de woning met <medebewoners> kostendelende <woord>
    Als het maandplan voor december 2026 wordt gemaakt
    Dan is de bijstand <bijstand>
    En is de regel "Pw art. 22a"
    En is de reservering vakantietoeslag <vt>

    Voorbeelden:
      | medebewoners | woord        | bijstand | vt      |
      | 1            | medebewoner  | € 951,02 | € 50,05 |
      | 2            | medebewoners | € 824,21 | € 43,38 |
      | 3            | medebewoners | € 760,81 | € 40,04 |
      | 4            | medebewoners | € 722,77 | € 38,04 |

  Scenario: gehuwden met één kostendelende medebewoner krijgen samen 2 × de norm voor A = 3
    Gegeven gehuwde asielstatushouders, inburgeringsplichtig onder de Wi2021, met recht op bijstand vanaf 1 december 2026
    En het huishouden deelt de woning met 1 kostendelende medebewoner
    Als het maandplan voor december 2026 wordt gemaakt
    Dan is de bijstand € 1.648,42
    En is de reservering vakantietoeslag € 86,76

  Scenario: het inkomenssysteem van de gemeente heeft het bedrag al vastgesteld
    Gegeven een alleenstaande asielstatushouder, inburgeringsplichtig onder de Wi2021, met recht op bijstand vanaf 1 december 2026
    En het inkomenssysteem stelde de bijstand voor december 2026 vast op € 1.200,00 met kenmerk "INK-2026-12-0042"
    Als het maandplan voor december 2026 wordt gemaakt
    Dan is de bijstand € 1.200,00
    En is de regel "Pw art. 45"
    En ontvangt het huishouden € 1.200,00 leefgeld
