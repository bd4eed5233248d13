"""Texts for the story tests (no tests here): hand-written news about two unrelated events."""

FLOOD = [
    (
        "Floods force thousands from homes in Valencia",
        "Heavy rain flooded the Spanish city of Valencia on Tuesday, forcing thousands of residents to leave "
        "their homes. The regional government of Valencia said rescue teams evacuated families from the "
        "flooded Turia river districts. Mayor Maria Catala asked residents to stay indoors while the river "
        "kept rising. Spain's weather agency AEMET warned that more rain would fall on Valencia overnight.",
    ),
    (
        "Valencia evacuates riverside districts as Turia rises",
        "Rescue teams in Valencia evacuated thousands of people on Tuesday as the Turia river burst its "
        "banks after heavy rain. Mayor Maria Catala said the flooded districts would stay closed. "
        "AEMET, Spain's weather agency, expects more rain in the Valencia region, and the regional "
        "government opened "
        "shelters for evacuated families.",
    ),
    (
        "Spain sends soldiers to flooded Valencia",
        "Spain sent army units to Valencia on Wednesday to help families whose homes were flooded when the "
        "Turia river rose after heavy rain. Thousands of residents were evacuated, Mayor Maria Catala said. "
        "The weather agency AEMET said the rain over Valencia would ease by Thursday.",
    ),
]

CHIPS = [
    (
        "Nordchip to build chip factory in Dresden",
        "The semiconductor maker Nordchip will build a new chip factory in Dresden, the company said on "
        "Monday, investing 10 billion euros and creating 2,000 jobs. Chief executive Lars Henriksen said "
        "the Dresden plant would make chips for carmakers. Germany's economy ministry confirmed subsidies "
        "for the semiconductor factory.",
    ),
    (
        "Germany backs Nordchip's Dresden semiconductor plant",
        "Germany's economy ministry will subsidise Nordchip's planned semiconductor plant in Dresden, which "
        "the chip maker says will cost 10 billion euros. Lars Henriksen, Nordchip's chief executive, said "
        "the factory would supply chips to carmakers and employ 2,000 people.",
    ),
    (
        "Dresden chip factory to create 2,000 jobs",
        "Nordchip's new chip factory in Dresden will create 2,000 jobs, chief executive Lars Henriksen said, "
        "as the semiconductor company confirmed its 10 billion euro investment. Carmakers are expected to "
        "buy most of the chips made at the Dresden factory, backed by Germany's economy ministry.",
    ),
]
