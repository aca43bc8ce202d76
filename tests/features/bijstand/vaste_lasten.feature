# language: nl
Functionaliteit: Vaste lasten worden namens het huishouden uit de bijstand betaald
  Pw art. 56a lid 2 (https://wetten.overheid.nl/BWBR0015703/2026-01-01), samengevat: betalingen
  "in naam van de belanghebbende … uit de toegekende bijstand" van "huur, gas, water en stroom
  en de verplichte zorgverzekering. It is withheld from the person's own bijstand, not extra
  money. Other insurances (aansprakelijkheid, inboedel, aanvullende zorg) are not in 56a: only
  with the person's consent or under art. 57."

  Beleidsplan Integratie & Inburgering Purmerend, §3.2 Wat wijzigt er?:
  "Financiële ontzorging houdt in dat de gemeente de eerste zes maanden na binnenkomst in de
  gemeente een aantal vaste lasten voor statushouders betaalt (huur, energiekosten en verplichte
  verzekeringen). Het bedrag voor deze lasten verrekenen we met de bijstandsuitkering. Op deze
  manier ontzorgen we statushouders en voorkomen we dat er schulden ontstaan in de beginperiode
  van hun verblijf in onze gemeente."

  Achtergrond:
    Gegeven het gemeentebeleid met een minimum leefgeld van € 250,00 en € 75,00 per extra gezinslid

  Scenario: huur, stroom, gas, water en zorgverzekering worden betaald, de rest is leefgeld
    Gegeven een alleenstaande asielstatushouder, inburgeringsplichtig onder de Wi2021, met recht op bijstand vanaf 1 december 2026
    En een huurcontract van € 712,00 per maand met Woonstichting De Key
    En een stroomcontract van € 60,00 per maand met Vattenfall
    En een gascontract van € 75,00 per maand met Vattenfall
    En een watercontract van € 22,50 per maand met Waternet
    En een zorgverzekering van € 158,00 per maand bij Zilveren Kruis
    Als het maandplan voor december 2026 wordt gemaakt
    Dan is de bijstand € 1.331,43
    En wordt € 712,00 ingehouden voor huur en betaald aan Woonstichting De Key
    En is de regel "Pw art. 56a lid 2"
    En wordt € 60,00 ingehouden voor stroom en betaald aan Vattenfall
    En wordt € 75,00 ingehouden voor gas en betaald aan Vattenfall
    En wordt € 22,50 ingehouden voor water en betaald aan Waternet
    En wordt € 158,00 ingehouden voor zorgverzekering en betaald aan Zilveren Kruis
    En wordt in totaal € 1.027,50 ingehouden
    En ontvangt het huishouden € 303,93 leefgeld

  Scenario: alleen de huur wordt ingehouden
    Gegeven een alleenstaande asielstatushouder, inburgeringsplichtig onder de Wi2021, met recht op bijstand vanaf 1 december 2026
    En een huurcontract van € 712,00 per maand met Woonstichting De Key
    Als het maandplan voor december 2026 wordt gemaakt
    Dan wordt € 712,00 ingehouden voor huur en betaald aan Woonstichting De Key
    En ontvangt het huishouden € 619,43 leefgeld

  Scenario: het huishouden neemt de stroom zelf over (afbouw)
    Gegeven een alleenstaande asielstatushouder, inburgeringsplichtig onder de Wi2021, met recht op bijstand vanaf 1 december 2026
    En een stroomcontract van € 60,00 per maand met Vattenfall
    En het huishouden betaalt de stroom zelf vanaf 1 maart 2027
    Als het maandplan voor maart 2027 wordt gemaakt
    Dan wordt niets ingehouden voor stroom
    En ontvangt het huishouden € 1.331,43 leefgeld

  Scenario: een inboedelverzekering zonder toestemming of art. 57-besluit wordt geweigerd
    Gegeven een alleenstaande asielstatushouder, inburgeringsplichtig onder de Wi2021, met recht op bijstand vanaf 1 december 2026
    En een overige vaste last "inboedelverzekering" van € 12,50 per maand bij Centraal Beheer zonder grondslag
    Dan wordt het contract geweigerd omdat "consent_ground" ontbreekt

  Scenario: een inboedelverzekering met schriftelijke toestemming wordt betaald als de gemeente dat doet
    Gegeven een alleenstaande asielstatushouder, inburgeringsplichtig onder de Wi2021, met recht op bijstand vanaf 1 december 2026
    En de gemeente houdt ook overige vaste lasten met toestemming in
    En een overige vaste last "inboedelverzekering" van € 12,50 per maand bij Centraal Beheer met schriftelijke toestemming
    Als het maandplan voor december 2026 wordt gemaakt
    Dan wordt € 12,50 ingehouden voor overige en betaald aan Centraal Beheer
    En is de regel "schriftelijke toestemming belanghebbende"
    En ontvangt het huishouden € 1.318,93 leefgeld

  Scenario: een huurverhoging per 1 juli is een nieuwe versie van het contract
    Gegeven een alleenstaande asielstatushouder, inburgeringsplichtig onder de Wi2021, met recht op bijstand vanaf 1 maart 2026
    En een huurcontract van € 712,00 per maand met Woonstichting De Key
    En de huur wordt per 1 juli 2026 € 740,48
    Als het maandplan voor juli 2026 wordt gemaakt
    Dan wordt € 740,48 ingehouden voor huur en betaald aan Woonstichting De Key
    En ontvangt het huishouden € 590,95 leefgeld

  Scenario: in juni, voor de huurverhoging, geldt nog de oude huur
    Gegeven een alleenstaande asielstatushouder, inburgeringsplichtig onder de Wi2021, met recht op bijstand vanaf 1 maart 2026
    En een huurcontract van € 712,00 per maand met Woonstichting De Key
    En de huur wordt per 1 juli 2026 € 740,48
    Als het maandplan voor juni 2026 wordt gemaakt
    Dan wordt € 712,00 ingehouden voor huur en betaald aan Woonstichting De Key
