# language: nl
Functionaliteit: Vakantietoeslag reserveren en uitbetalen
  Pw art. 19 lid 3 en art. 45 lid 1 (https://wetten.overheid.nl/BWBR0015703/2026-01-01), samengevat:
  "Norms include vakantietoeslag: VT = 5 % of the norm, so the monthly payment is 95 % of the
  norm and 5 % accrues. Paid yearly in June over the previous 12 months, or within three months
  after the bijstand ends (art. 45 lid 1)."

  Achtergrond:
    Gegeven het gemeentebeleid met een minimum leefgeld van € 250,00 en € 75,00 per extra gezinslid

  Scenario: in juni wordt de vakantietoeslag van december tot en met mei uitbetaald
    Gegeven een alleenstaande asielstatushouder, inburgeringsplichtig onder de Wi2021, met recht op bijstand vanaf 1 december 2026
    Als het maandplan voor juni 2027 wordt gemaakt
    Dan wordt € 420,42 vakantietoeslag uitbetaald
    En is de regel "Pw art. 45 lid 1"
    En is de reservering vakantietoeslag € 70,07
    En ontvangt het huishouden € 1.751,85 leefgeld

  Scenario: in mei wordt nog niets uitbetaald
    Gegeven een alleenstaande asielstatushouder, inburgeringsplichtig onder de Wi2021, met recht op bijstand vanaf 1 december 2026
    Als het maandplan voor mei 2027 wordt gemaakt
    Dan wordt geen vakantietoeslag uitbetaald
    En is de reservering vakantietoeslag € 70,07

  Scenario: na een gedeeltelijke eerste maand telt die maand naar rato mee
    Gegeven een alleenstaande asielstatushouder, inburgeringsplichtig onder de Wi2021, met recht op bijstand vanaf 15 december 2026
    Als het maandplan voor juni 2027 wordt gemaakt
    Dan wordt € 388,78 vakantietoeslag uitbetaald

  Abstract Scenario: juni betaalt de maanden juni tot en met mei van dit recht
    Gegeven een alleenstaande asielstatushouder, inburgeringsplichtig onder de Wi2021, met recht op bijstand vanaf 1 maart 2026
    Als het maandplan voor <maand> wordt gemaakt
    Dan wordt <uitbetaald> vakantietoeslag uitbetaald

    Voorbeelden:
      | maand     | uitbetaald |
      | juni 2026 | € 210,21   |
      | juni 2027 | € 840,84   |

  Scenario: bij het einde van de bijstand wordt alles wat nog openstaat uitbetaald
    Gegeven een alleenstaande asielstatushouder, inburgeringsplichtig onder de Wi2021, met recht op bijstand vanaf 1 december 2026
    En het recht op bijstand eindigt op 30 juni 2027
    Als het maandplan voor juni 2027 wordt gemaakt
    Dan wordt € 490,49 vakantietoeslag uitbetaald
    En krijgt de consulent het signaal "right_ends"
