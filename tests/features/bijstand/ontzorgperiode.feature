# language: nl
Functionaliteit: De ontzorgperiode van zes maanden, eerder einde en verlenging
  Pw art. 56a lid 2 (https://wetten.overheid.nl/BWBR0015703/2026-01-01), samengevat: "six months, counted
  from the day the right to bijstand arises (not the first payment, not the date of moving in).
  Bijstand never starts before the day of melding (art. 44 lid 1). It ends earlier if the
  bijstand ends."

  Pw art. 57 (https://wetten.overheid.nl/BWBR0015703/2026-01-01), samengevat: "art. 57 Pw (gegronde redenen: necessary payments in the
  person's name or bijstand in natura) or voluntary budgetbeheer with consent. Extension
  therefore needs a recorded ground: consent or an art. 57 decision."

  Kamerbrief over maatwerk bij financieel ontzorgen (2023), samengevat: "an opt-out with a recorded reason is a gemeente policy switch, off
  by default."

  Beleidsplan Integratie & Inburgering Purmerend, §3.2: "Financiële
  ontzorging houdt in dat de gemeente de eerste zes maanden na binnenkomst in de gemeente een
  aantal vaste lasten voor statushouders betaalt".

  Achtergrond:
    Gegeven het gemeentebeleid met een minimum leefgeld van € 250,00 en € 75,00 per extra gezinslid

  Abstract Scenario: de periode eindigt aan het eind van de dag vóór dezelfde dag zes maanden later
    Gegeven een alleenstaande asielstatushouder, inburgeringsplichtig onder de Wi2021, met recht op bijstand vanaf <start>
    Dan eindigt de ontzorgperiode op <einde>

    Voorbeelden:
      | start            | einde            |
      | 1 december 2026  | 31 mei 2027      |
      | 15 december 2026 | 14 juni 2027     |
      | 31 januari 2026  | 30 juli 2026     |
      | 31 augustus 2026 | 28 februari 2027 |
      | 29 augustus 2026 | 28 februari 2027 |
      | 29 augustus 2027 | 28 februari 2028 |

  Scenario: in de laatste maand van de periode wordt nog ingehouden, daarna niet meer
    Gegeven een alleenstaande asielstatushouder, inburgeringsplichtig onder de Wi2021, met recht op bijstand vanaf 1 december 2026
    En een huurcontract van € 712,00 per maand met Woonstichting De Key
    Als het maandplan voor mei 2027 wordt gemaakt
    Dan wordt € 712,00 ingehouden voor huur en betaald aan Woonstichting De Key
    En krijgt de consulent het signaal "window_ends_this_month"

  Scenario: na zes maanden betaalt het huishouden zelf
    Gegeven een alleenstaande asielstatushouder, inburgeringsplichtig onder de Wi2021, met recht op bijstand vanaf 1 december 2026
    En een huurcontract van € 712,00 per maand met Woonstichting De Key
    Als het maandplan voor juli 2027 wordt gemaakt
    Dan wordt niets ingehouden voor huur
    En ontvangt het huishouden € 1.331,43 leefgeld
    En krijgt de consulent het signaal "outside_window"

  Scenario: de maand vóór het einde krijgt de consulent een seintje
    Gegeven een alleenstaande asielstatushouder, inburgeringsplichtig onder de Wi2021, met recht op bijstand vanaf 1 december 2026
    En een huurcontract van € 712,00 per maand met Woonstichting De Key
    Als het maandplan voor april 2027 wordt gemaakt
    Dan krijgt de consulent het signaal "window_ends_next_month"

  Scenario: start op de 31e: de periode loopt tot en met de laatste dag van februari
    Gegeven een alleenstaande asielstatushouder, inburgeringsplichtig onder de Wi2021, met recht op bijstand vanaf 31 augustus 2026
    En een huurcontract van € 712,00 per maand met Woonstichting De Key vanaf 1 augustus 2026
    Als het maandplan voor februari 2027 wordt gemaakt
    Dan wordt € 712,00 ingehouden voor huur en betaald aan Woonstichting De Key
    En eindigt de ontzorgperiode op 28 februari 2027

  Scenario: start op de 31e: in maart wordt niet meer ingehouden
    Gegeven een alleenstaande asielstatushouder, inburgeringsplichtig onder de Wi2021, met recht op bijstand vanaf 31 augustus 2026
    En een huurcontract van € 712,00 per maand met Woonstichting De Key vanaf 1 augustus 2026
    Als het maandplan voor maart 2027 wordt gemaakt
    Dan wordt niets ingehouden voor huur

  Scenario: de bijstand eindigt eerder: de periode eindigt mee en de vakantietoeslag wordt uitbetaald
    Gegeven een alleenstaande asielstatushouder, inburgeringsplichtig onder de Wi2021, met recht op bijstand vanaf 1 december 2026
    En het recht op bijstand eindigt op 15 maart 2027
    En een huurcontract van € 712,00 per maand met Woonstichting De Key
    Als het maandplan voor maart 2027 wordt gemaakt
    Dan eindigt de ontzorgperiode op 15 maart 2027
    En is de bijstand € 644,24
    En is de reservering vakantietoeslag € 33,90
    En wordt € 244,11 vakantietoeslag uitbetaald
    En wordt € 712,00 ingehouden voor huur en betaald aan Woonstichting De Key
    En ontvangt het huishouden € 176,35 leefgeld
    En krijgt de consulent het signaal "right_ends"

  Scenario: na het einde van de bijstand is er geen maandplan
    Gegeven een alleenstaande asielstatushouder, inburgeringsplichtig onder de Wi2021, met recht op bijstand vanaf 1 december 2026
    En het recht op bijstand eindigt op 15 maart 2027
    Als het maandplan voor april 2027 wordt gemaakt
    Dan kan het maandplan niet worden gemaakt

  Abstract Scenario: verlenging na zes maanden alleen met een grondslag
    Gegeven een alleenstaande asielstatushouder, inburgeringsplichtig onder de Wi2021, met recht op bijstand vanaf 1 december 2026
    En een huurcontract van € 712,00 per maand met Woonstichting De Key
    En de ontzorgperiode is verlengd tot 30 september 2027 <grondslag> met reden "huurachterstand in het verleden"
    Als het maandplan voor juli 2027 wordt gemaakt
    Dan wordt € 712,00 ingehouden voor huur en betaald aan Woonstichting De Key
    En is de regel "<regel>"
    En krijgt de consulent het signaal "extended"
    En eindigt de ontzorgperiode op 30 september 2027

    Voorbeelden:
      | grondslag                           | regel                                    |
      | op grond van een besluit Pw art. 57 | Pw art. 57                               |
      | met toestemming van het huishouden  | schriftelijke toestemming belanghebbende |

  Scenario: verlenging zonder grondslag wordt geweigerd
    Gegeven een alleenstaande asielstatushouder, inburgeringsplichtig onder de Wi2021, met recht op bijstand vanaf 1 december 2026
    En de ontzorgperiode is verlengd tot 30 september 2027 zonder grondslag met reden "wil het graag"
    Dan wordt de verlenging geweigerd omdat "ground" ontbreekt

  Scenario: een opt-out telt niet als het gemeentebeleid het niet toestaat
    Gegeven een alleenstaande asielstatushouder, inburgeringsplichtig onder de Wi2021, met recht op bijstand vanaf 1 december 2026
    En een huurcontract van € 712,00 per maand met Woonstichting De Key
    En het huishouden vraagt een opt-out met reden "heeft al een eigen budgetplan"
    Als het maandplan voor december 2026 wordt gemaakt
    Dan wordt € 712,00 ingehouden voor huur en betaald aan Woonstichting De Key
    En krijgt de consulent het signaal "opt_out_not_allowed"

  Scenario: een opt-out met vastgelegde reden als het gemeentebeleid het toestaat
    Gegeven de gemeente staat een opt-out met vastgelegde reden toe
    En een alleenstaande asielstatushouder, inburgeringsplichtig onder de Wi2021, met recht op bijstand vanaf 1 december 2026
    En een huurcontract van € 712,00 per maand met Woonstichting De Key
    En het huishouden vraagt een opt-out met reden "financieel zelfredzaam (ZRM Financiën 4)" vanaf 1 februari 2027
    Als het maandplan voor februari 2027 wordt gemaakt
    Dan wordt niets ingehouden voor huur
    En ontvangt het huishouden € 1.331,43 leefgeld
    En krijgt de consulent het signaal "opt_out"
