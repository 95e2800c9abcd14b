import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { SUBREGION_CODES, subregionSchema, type SubregionCode } from "~/schemas/vocabulary";
import { COUNTRIES, type Country } from "../../prisma/data/countries";
import {
  COUNTRIES_MIGRATION_PATH,
  renderCountriesMigration,
  sqlStringLiteral,
} from "../../prisma/data/generate-countries-migration";

const OAS_MEMBERS = [
  "AG", "AR", "BS", "BB", "BZ", "BO", "BR", "CA", "CL", "CO", "CR", "CU", "DM", "DO", "EC",
  "SV", "GD", "GT", "GY", "HT", "HN", "JM", "MX", "NI", "PA", "PY", "PE", "KN", "LC", "VC",
  "SR", "TT", "US", "UY", "VE",
];

// UN M49 "Americas" (019), written out independently of countries.ts.
const AMERICAS = [
  // Northern America
  "BM", "CA", "GL", "PM", "US",
  // Central America, Mexico included
  "BZ", "CR", "GT", "HN", "MX", "NI", "PA", "SV",
  // Caribbean
  "AG", "AI", "AW", "BB", "BL", "BQ", "BS", "CU", "CW", "DM", "DO", "GD", "GP", "HT", "JM",
  "KN", "KY", "LC", "MF", "MQ", "MS", "PR", "SX", "TC", "TT", "VC", "VG", "VI",
  // South America
  "AR", "BO", "BR", "BV", "CL", "CO", "EC", "FK", "GF", "GS", "GY", "PE", "PY", "SR", "UY", "VE",
];

function countriesIn(subregion: SubregionCode): string[] {
  return COUNTRIES.filter((country) => country.subregion === subregion).map((country) => country.code);
}

describe("country data", () => {
  test("holds every officially assigned ISO 3166-1 alpha-2 code once, sorted", () => {
    const codes = COUNTRIES.map((country) => country.code);
    expect(codes).toHaveLength(249);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^[A-Z]{2}$/);
    expect(codes).toEqual([...codes].sort());
    expect(codes).toEqual(expect.arrayContaining(["AQ", "BQ", "CW", "SS", "SX", "US"]));
    // user-assigned or withdrawn, not official: XK (Kosovo), AN (Netherlands Antilles)
    expect(codes).not.toContain("XK");
    expect(codes).not.toContain("AN");
  });

  test("flags exactly the 35 OAS member states", () => {
    const members = COUNTRIES.filter((country) => country.oasMember).map((country) => country.code);
    expect(members).toHaveLength(35);
    expect(members.sort()).toEqual([...OAS_MEMBERS].sort());
  });

  test("every country of the Americas has a subregion and no other country has one", () => {
    const withSubregion = COUNTRIES.filter((country) => country.subregion !== null).map((c) => c.code);
    expect(withSubregion.sort()).toEqual([...AMERICAS].sort());
    for (const country of COUNTRIES) {
      if (country.subregion !== null) expect(subregionSchema.parse(country.subregion)).toBe(country.subregion);
    }
    for (const code of OAS_MEMBERS) {
      expect(COUNTRIES.find((country) => country.code === code)?.subregion, code).not.toBeNull();
    }
  });

  test("places member states in their OAS subregion", () => {
    expect(countriesIn("north-america")).toEqual(expect.arrayContaining(["CA", "MX", "US"]));
    expect(countriesIn("central-america").sort()).toEqual(["BZ", "CR", "GT", "HN", "NI", "PA", "SV"]);
    expect(countriesIn("caribbean")).toEqual(
      expect.arrayContaining(["AG", "BB", "BS", "CU", "DM", "DO", "GD", "HT", "JM", "KN", "LC", "TT", "VC", "PR"]),
    );
    expect(countriesIn("south-america")).toEqual(
      expect.arrayContaining(["AR", "BO", "BR", "CL", "CO", "EC", "GY", "PE", "PY", "SR", "UY", "VE"]),
    );
    expect(SUBREGION_CODES.every((subregion) => countriesIn(subregion).length > 0)).toBe(true);
  });

  test("names every country in the four languages, without characters SQL or HTML would choke on", () => {
    for (const country of COUNTRIES) {
      const names = [country.nameEn, country.nameEs, country.namePt, country.nameFr];
      for (const name of names) {
        expect(name.trim(), country.code).not.toBe("");
        expect(name, country.code).toBe(name.trim());
        expect(name, country.code).not.toMatch(/[\\\0<>]/);
      }
    }
    const byCode = new Map(COUNTRIES.map((country): [string, Country] => [country.code, country]));
    expect(byCode.get("BR")).toMatchObject({ nameEn: "Brazil", nameEs: "Brasil", namePt: "Brasil", nameFr: "Brésil" });
    expect(byCode.get("TT")?.nameEn).toBe("Trinidad and Tobago");
    expect(byCode.get("VC")?.nameEn).toBe("Saint Vincent and the Grenadines");
  });
});

describe("countries migration", () => {
  test("the committed migration is what the generator writes from countries.ts", () => {
    const committed = readFileSync(COUNTRIES_MIGRATION_PATH, "utf8");
    expect(committed).toBe(renderCountriesMigration(COUNTRIES));
    expect(committed.match(/^ {2}\('[A-Z]{2}', /gm)).toHaveLength(COUNTRIES.length);
  });

  test("is deterministic whatever the input order", () => {
    expect(renderCountriesMigration([...COUNTRIES].reverse())).toBe(renderCountriesMigration(COUNTRIES));
  });

  test("escapes quotes and writes NULL for a country outside the Americas", () => {
    const sql = renderCountriesMigration([
      { code: "ZZ", nameEn: "O'Land", nameEs: "Tierra d'O", namePt: "Terra", nameFr: "L''île", subregion: null, oasMember: false },
      { code: "YY", nameEn: "Why", nameEs: "Y", namePt: "Y", nameFr: "Y", subregion: "caribbean", oasMember: true },
    ]);
    expect(sql).toContain(
      `INSERT INTO "country" ("code", "name_en", "name_es", "name_pt", "name_fr", "subregion", "oas_member") VALUES\n` +
        `  ('YY', 'Why', 'Y', 'Y', 'Y', 'caribbean', true),\n` +
        `  ('ZZ', 'O''Land', 'Tierra d''O', 'Terra', 'L''''île', NULL, false);\n`,
    );
  });

  test("sqlStringLiteral doubles single quotes, keeps backslashes and refuses NUL", () => {
    expect(sqlStringLiteral("Côte d'Ivoire")).toBe("'Côte d''Ivoire'");
    expect(sqlStringLiteral("''")).toBe("''''''");
    expect(sqlStringLiteral("a\\b")).toBe("'a\\b'");
    expect(() => sqlStringLiteral("a\0b")).toThrow(/NUL/);
  });
});
