# language: nl
Functionaliteit: Wie wordt ontzorgd
  Pw art. 56a lid 1 (https://wetten.overheid.nl/BWBR0015703/2026-01-01), samengevat:
  "a person receiving bijstand who is (a) inburgeringsplichtig under the Wet inburgering 2021
  and (b) holds a verblijfsvergunning asiel voor bepaalde tijd (art. 28 Vreemdelingenwet 2000).
  Nareizigers with an asylum-derived permit are in; gezinsmigranten, family with a regular
  permit, and people under the old inburgeringswet are out."

  Beleidsplan Integratie & Inburgering Purmerend, §3.4 Doelgroep,
  tabel "Aanbodplicht per doelgroep": "Financieel ontzorgen √" voor statushouders, leeg voor
  gezinsmigranten; en: "Nieuwkomers die nog onder de huidige wetgeving vallen, behoren tot de
  zogeheten 'ondertussen'-groep."

  Achtergrond:
    Gegeven het gemeentebeleid met een minimum leefgeld van € 250,00 en € 75,00 per extra gezinslid

  Abstract Scenario: ontzorgen hangt af van doelgroep en inburgeringswet
    Gegeven een alleenstaande <doelgroep>, <inburgering>, met recht op bijstand vanaf 1 december 2026
    En een huurcontract van € 712,00 per maand met Woonstichting De Key
    Als het maandplan voor december 2026 wordt gemaakt
    Dan wordt in totaal <ingehouden> ingehouden
    En ontvangt het huishouden <leefgeld> leefgeld

    Voorbeelden:
      | doelgroep         | inburgering                             | ingehouden | leefgeld   |
      | asielstatushouder | inburgeringsplichtig onder de Wi2021    | € 712,00   | € 619,43   |
      | nareiziger        | inburgeringsplichtig onder de Wi2021    | € 712,00   | € 619,43   |
      | gezinsmigrant     | inburgeringsplichtig onder de Wi2021    | € 0,00     | € 1.331,43 |
      | asielstatushouder | inburgeringsplichtig onder de oude wet  | € 0,00     | € 1.331,43 |

  Scenario: een asielstatushouder onder de Wi2021 wordt ontzorgd
    Gegeven een alleenstaande asielstatushouder, inburgeringsplichtig onder de Wi2021, met recht op bijstand vanaf 1 december 2026
    En een huurcontract van € 712,00 per maand met Woonstichting De Key
    Als het maandplan voor december 2026 wordt gemaakt
    Dan valt het huishouden onder ontzorgen
    En wordt € 712,00 ingehouden voor huur en betaald aan Woonstichting De Key
    En is de regel "Pw art. 56a lid 2"
    En ontvangt het huishouden € 619,43 leefgeld

  Scenario: een gezinsmigrant krijgt bijstand en leefgeld, maar geen ontzorgen
    Gegeven een alleenstaande gezinsmigrant, inburgeringsplichtig onder de Wi2021, met recht op bijstand vanaf 1 december 2026
    En een huurcontract van € 712,00 per maand met Woonstichting De Key
    Als het maandplan voor december 2026 wordt gemaakt
    Dan valt het huishouden niet onder ontzorgen met reden "gezinsmigrant"
    En is de bijstand € 1.331,43
    En wordt niets ingehouden voor huur
    En ontvangt het huishouden € 1.331,43 leefgeld
    En krijgt de consulent het signaal "not_eligible"

  Scenario: een inburgeraar onder de oude wet (ondertussengroep) wordt niet ontzorgd
    Gegeven een alleenstaande asielstatushouder, inburgeringsplichtig onder de oude wet, met recht op bijstand vanaf 1 december 2026
    En een huurcontract van € 712,00 per maand met Woonstichting De Key
    Als het maandplan voor december 2026 wordt gemaakt
    Dan valt het huishouden niet onder ontzorgen met reden "Wet inburgering 2021"
    En wordt niets ingehouden voor huur
    En ontvangt het huishouden € 1.331,43 leefgeld
