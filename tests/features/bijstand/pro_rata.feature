# language: nl
Functionaliteit: Een gedeeltelijke eerste of laatste maand
  Pw art. 45 (https://wetten.overheid.nl/BWBR0015703/2026-01-01), samengevat: "Month: bijstand is fixed and paid per calendar
  month (art. 45). Partial month (pro rata) when the right starts or ends mid-month (art. 45
  lid 3); the day-rate method is not fixed by the law: a gemeente parameter."

  Beide methoden van de gemeente: "kalenderdagen" = bedrag × dagen / dagen in de maand;
  "dertig dagen" = bedrag × dagen / 30, ten hoogste 30 dagen. Afronding: half naar boven op de
  cent. Het minimum leefgeld gaat in een gedeeltelijke maand naar rato mee.

  Achtergrond:
    Gegeven het gemeentebeleid met een minimum leefgeld van € 250,00 en € 75,00 per extra gezinslid

  Abstract Scenario: recht vanaf 15 december 2026, huur vanaf dezelfde dag
    Gegeven de gemeente rekent een deel van een maand naar <methode>
    En een alleenstaande asielstatushouder, inburgeringsplichtig onder de Wi2021, met recht op bijstand vanaf 15 december 2026
    En een huurcontract van € 390,45 per maand met Woonstichting De Key vanaf 15 december 2026
    En de huur wordt per 1 januari 2027 € 712,00
    Als het maandplan voor december 2026 wordt gemaakt
    Dan is de bijstand <bijstand>
    En is de regel "Pw art. 21 en art. 45 lid 3"
    En is de reservering vakantietoeslag <vt>
    En wordt € 390,45 ingehouden voor huur en betaald aan Woonstichting De Key
    En ontvangt het huishouden <leefgeld> leefgeld

    Voorbeelden:
      | methode       | bijstand | vt      | leefgeld |
      | kalenderdagen | € 730,14 | € 38,43 | € 339,69 |
      | dertig dagen  | € 754,48 | € 39,71 | € 364,03 |

  Scenario: de maand erna is een hele maand met de volle huur
    Gegeven een alleenstaande asielstatushouder, inburgeringsplichtig onder de Wi2021, met recht op bijstand vanaf 15 december 2026
    En een huurcontract van € 390,45 per maand met Woonstichting De Key vanaf 15 december 2026
    En de huur wordt per 1 januari 2027 € 712,00
    Als het maandplan voor januari 2027 wordt gemaakt
    Dan is de bijstand € 1.331,43
    En wordt € 712,00 ingehouden voor huur en betaald aan Woonstichting De Key

  Abstract Scenario: recht vanaf de 31e: één dag
    Gegeven de gemeente rekent een deel van een maand naar <methode>
    En een alleenstaande asielstatushouder, inburgeringsplichtig onder de Wi2021, met recht op bijstand vanaf 31 augustus 2026
    Als het maandplan voor augustus 2026 wordt gemaakt
    Dan is de bijstand <bijstand>
    En is de reservering vakantietoeslag <vt>

    Voorbeelden:
      | methode       | bijstand | vt     |
      | kalenderdagen | € 42,95  | € 2,26 |
      | dertig dagen  | € 44,38  | € 2,34 |
