# language: nl
Functionaliteit: Leefgeld naar de eigen rekening, per maand of per week
  Het "Huishoudboekje" van de gemeente Utrecht, samengevat: "income arrives
  at the gemeente, vaste lasten are paid monthly, creditors are told that the gemeente pays, the
  person gets the rest as leefgeld (weekly or monthly)".

  Ontwerp van ontzorgen (docs/import-format.md): "own IBAN (often none in the first weeks)".

  Achtergrond:
    Gegeven het gemeentebeleid met een minimum leefgeld van € 250,00 en € 75,00 per extra gezinslid

  Scenario: leefgeld per week op maandag, de delen tellen precies op
    Gegeven de gemeente betaalt leefgeld per week op maandag
    En een alleenstaande asielstatushouder, inburgeringsplichtig onder de Wi2021, met recht op bijstand vanaf 1 december 2026
    En een huurcontract van € 712,00 per maand met Woonstichting De Key
    En een stroomcontract van € 60,00 per maand met Vattenfall
    En een gascontract van € 75,00 per maand met Vattenfall
    En een watercontract van € 22,50 per maand met Waternet
    En een zorgverzekering van € 158,00 per maand bij Zilveren Kruis
    Als het maandplan voor december 2026 wordt gemaakt
    Dan ontvangt het huishouden € 75,99 leefgeld op 7 december 2026
    En ontvangt het huishouden € 75,98 leefgeld op 14 december 2026
    En ontvangt het huishouden € 75,98 leefgeld op 21 december 2026
    En ontvangt het huishouden € 75,98 leefgeld op 28 december 2026
    En ontvangt het huishouden € 303,93 leefgeld

  Scenario: leefgeld per maand op de betaaldag van de gemeente
    Gegeven de gemeente betaalt leefgeld per maand op dag 24
    En een alleenstaande asielstatushouder, inburgeringsplichtig onder de Wi2021, met recht op bijstand vanaf 1 december 2026
    Als het maandplan voor januari 2027 wordt gemaakt
    Dan ontvangt het huishouden € 1.331,43 leefgeld op 24 januari 2027

  Scenario: zonder eigen IBAN wordt het leefgeld vastgehouden, de vaste lasten worden wel betaald
    Gegeven een alleenstaande asielstatushouder, inburgeringsplichtig onder de Wi2021, met recht op bijstand vanaf 1 december 2026
    En het huishouden heeft geen eigen IBAN
    En een huurcontract van € 712,00 per maand met Woonstichting De Key
    En een stroomcontract van € 60,00 per maand met Vattenfall
    En een gascontract van € 75,00 per maand met Vattenfall
    En een watercontract van € 22,50 per maand met Waternet
    En een zorgverzekering van € 158,00 per maand bij Zilveren Kruis
    Als het maandplan voor december 2026 wordt gemaakt
    Dan wordt in totaal € 1.027,50 ingehouden
    En wordt € 303,93 leefgeld vastgehouden
    En ontvangt het huishouden € 0,00 leefgeld
    En krijgt de consulent het signaal "held_no_iban"
