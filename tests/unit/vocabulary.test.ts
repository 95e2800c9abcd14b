import { describe, expect, test } from "vitest";
import {
  COST_SHARING_CODES,
  LANGUAGE_CODES,
  LOCALES,
  MODALITY_CODES,
  MODALITY_LABELS,
  OFFER_STATUS_CODES,
  ORGANIZATION_TYPE_CODES,
  REQUEST_STATUS_CODES,
  SUBREGION_CODES,
  THEME_CODES,
  THEME_LABELS,
  VOCABULARIES,
  costSharingSchema,
  isLocale,
  isVocabularyCode,
  languageSchema,
  modalitySchema,
  offerStatusSchema,
  organizationTypeSchema,
  requestStatusSchema,
  subregionSchema,
  themeSchema,
  vocabularyLabel,
  vocabularyLabels,
  vocabularyOptions,
  type VocabularyName,
} from "~/schemas/vocabulary";

// The vocabulary tables of shared/docs/exchange-format.md, copied verbatim. The doc is the
// source of truth; this copy pins it so that an edit to either side shows up here.
const EXCHANGE_FORMAT_THEMES = `
| msme-finance | MSME finance and credit | Financiamiento para MIPYMEs |
| entrepreneurship | Entrepreneurship and start-ups | Emprendimiento |
| business-development-centers | Business development centers (SBDC model) | Centros de desarrollo empresarial (modelo SBDC) |
| women-economic-empowerment | Women's economic empowerment | Empoderamiento económico de las mujeres |
| youth-employment | Youth employment | Empleo juvenil |
| skills-training | Skills and vocational training | Formación profesional y competencias |
| employment-services | Public employment services and job matching | Servicios públicos de empleo e intermediación laboral |
| occupational-safety-health | Occupational safety and health | Seguridad y salud en el trabajo |
| social-protection | Social protection systems | Sistemas de protección social |
| cash-transfers | Cash transfer programs | Programas de transferencias monetarias |
| early-childhood | Early childhood development | Desarrollo infantil temprano |
| family-support-graduation | Family support and poverty graduation | Acompañamiento familiar y superación de la pobreza |
| formalization | Formalization of enterprises and workers | Formalización de empresas y trabajadores |
| supplier-development | Supplier development and value chains | Desarrollo de proveedores y cadenas de valor |
| internationalization | Export promotion and internationalization | Internacionalización y promoción de exportaciones |
| innovation-technology | Innovation and technology transfer | Innovación y transferencia tecnológica |
| digital-transformation | Digital transformation of MSMEs | Transformación digital de las MIPYMEs |
| green-economy | Green economy and sustainable production | Economía verde y producción sostenible |
| productivity-workplace | Productivity and workplace practices | Productividad y prácticas en el lugar de trabajo |
| social-economy | Cooperatives and the social economy | Cooperativas y economía social |
| labor-migration | Labor migration | Migración laboral |
| disability-inclusion | Inclusion of persons with disabilities | Inclusión de personas con discapacidad |
| ethnic-inclusion | Indigenous and Afro-descendant inclusion | Inclusión de pueblos indígenas y afrodescendientes |
| public-procurement | MSME access to public procurement | Acceso de las MIPYMEs a las compras públicas |
| regulatory-simplification | Simplification of business regulation | Simplificación de trámites empresariales |
| social-information-systems | Social registries and information systems | Registros sociales y sistemas de información |
| institutional-strengthening | Institutional strengthening | Fortalecimiento institucional |
`;

const EXCHANGE_FORMAT_MODALITIES = `
| expert-mission | Expert mission | Misión de expertos |
| study-visit | Study visit | Visita de estudio |
| virtual-exchange | Virtual exchange | Intercambio virtual |
| workshop | Workshop or seminar | Taller o seminario |
| training-of-trainers | Training of trainers | Formación de formadores |
| internship | Internship or secondment | Pasantía |
| documentation | Manuals, toolkits and documentation | Manuales, guías y documentación |
| joint-assessment | Joint diagnosis or peer review | Diagnóstico conjunto o revisión entre pares |
| advisory | Long-term advisory | Asesoría de largo plazo |
`;

type DocRow = { code: string; en: string; es: string };

function parseDocTable(table: string): DocRow[] {
  return table
    .trim()
    .split("\n")
    .map((line) => {
      const [code = "", en = "", es = ""] = line
        .split("|")
        .slice(1, -1)
        .map((cell) => cell.trim());
      return { code, en, es };
    });
}

const VOCABULARY_NAMES: VocabularyName[] = [
  "theme",
  "modality",
  "language",
  "organizationType",
  "costSharing",
  "offerStatus",
  "requestStatus",
  "subregion",
];

describe("codes", () => {
  test("there are 27 themes and 9 modalities, in the exchange format's order", () => {
    const themes = parseDocTable(EXCHANGE_FORMAT_THEMES);
    const modalities = parseDocTable(EXCHANGE_FORMAT_MODALITIES);
    expect(themes).toHaveLength(27);
    expect(modalities).toHaveLength(9);
    expect([...THEME_CODES]).toEqual(themes.map((row) => row.code));
    expect([...MODALITY_CODES]).toEqual(modalities.map((row) => row.code));
  });

  test("the enumerations of the exchange format are exactly its codes", () => {
    expect([...LANGUAGE_CODES]).toEqual(["en", "es", "pt", "fr"]);
    expect([...ORGANIZATION_TYPE_CODES]).toEqual([
      "ministry",
      "agency",
      "development-bank",
      "business-development-center",
      "training-institute",
      "international-organization",
      "ngo",
      "other",
    ]);
    expect([...COST_SHARING_CODES]).toEqual([
      "offerer-funded",
      "shared",
      "requester-funded",
      "to-be-negotiated",
    ]);
    expect([...OFFER_STATUS_CODES]).toEqual(["draft", "published", "archived"]);
    expect([...REQUEST_STATUS_CODES]).toEqual(["draft", "open", "closed"]);
    expect([...SUBREGION_CODES]).toEqual([
      "north-america",
      "central-america",
      "caribbean",
      "south-america",
    ]);
  });

  test.each(VOCABULARY_NAMES)("%s codes are unique lower-case slugs", (name) => {
    const { codes } = VOCABULARIES[name];
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^[a-z0-9-]+$/);
  });
});

describe("labels", () => {
  test("English and Spanish labels of themes and modalities are the exchange format's", () => {
    for (const row of parseDocTable(EXCHANGE_FORMAT_THEMES)) {
      expect(isVocabularyCode("theme", row.code)).toBe(true);
      if (!isVocabularyCode("theme", row.code)) continue;
      expect({ code: row.code, en: THEME_LABELS[row.code].en, es: THEME_LABELS[row.code].es }).toEqual(row);
    }
    for (const row of parseDocTable(EXCHANGE_FORMAT_MODALITIES)) {
      expect(isVocabularyCode("modality", row.code)).toBe(true);
      if (!isVocabularyCode("modality", row.code)) continue;
      expect({
        code: row.code,
        en: MODALITY_LABELS[row.code].en,
        es: MODALITY_LABELS[row.code].es,
      }).toEqual(row);
    }
  });

  test.each(VOCABULARY_NAMES)("every %s code has a label in all four languages and no other", (name) => {
    const { codes, labels } = VOCABULARIES[name];
    expect(Object.keys(labels)).toEqual([...codes]);
    for (const code of codes) {
      const codeLabels = vocabularyLabels(name, code);
      expect(Object.keys(codeLabels).sort()).toEqual([...LOCALES].sort());
      for (const locale of LOCALES) {
        const label = codeLabels[locale];
        expect(label.trim(), `${name} ${code} ${locale}`).not.toBe("");
        expect(label, `${name} ${code} ${locale}`).toBe(label.trim());
      }
    }
  });

  test("Portuguese and French theme and modality labels are translations, not English copies", () => {
    for (const name of ["theme", "modality"] as const) {
      for (const { value } of vocabularyOptions(name, "en")) {
        const labels = vocabularyLabels(name, value);
        expect(labels.pt, `${name} ${value}`).not.toBe(labels.en);
        expect(labels.fr, `${name} ${value}`).not.toBe(labels.en);
      }
    }
  });

  test("within a vocabulary no two codes share a label in the same language", () => {
    for (const name of VOCABULARY_NAMES) {
      for (const locale of LOCALES) {
        const labels = vocabularyOptions(name, locale).map((option) => option.label);
        expect(new Set(labels).size, `${name} ${locale}`).toBe(labels.length);
      }
    }
  });

  test("each language is named in each of the four languages, itself included", () => {
    expect(vocabularyLabels("language", "es")).toEqual({
      en: "Spanish",
      es: "Español",
      pt: "Espanhol",
      fr: "Espagnol",
    });
    expect(LANGUAGE_CODES.map((code) => vocabularyLabel("language", code, code))).toEqual([
      "English",
      "Español",
      "Português",
      "Français",
    ]);
  });
});

describe("vocabularyLabel", () => {
  test("returns the label in the requested locale", () => {
    expect(vocabularyLabel("theme", "early-childhood", "es")).toBe("Desarrollo infantil temprano");
    expect(vocabularyLabel("modality", "study-visit", "pt")).toBe("Visita de estudo");
    expect(vocabularyLabel("offerStatus", "published", "fr")).toBe("Publiée");
    expect(vocabularyLabel("subregion", "caribbean", "en")).toBe("Caribbean");
  });

  test("falls back to English for a locale that is not one of the four", () => {
    expect(vocabularyLabel("theme", "early-childhood", "de")).toBe("Early childhood development");
    expect(vocabularyLabel("costSharing", "shared", "")).toBe("Shared costs");
    expect(vocabularyLabel("requestStatus", "open", "ES")).toBe("Open");
  });
});

describe("vocabularyOptions", () => {
  test("lists every code once, in vocabulary order, labelled in the locale", () => {
    const options = vocabularyOptions("requestStatus", "es");
    expect(options).toEqual([
      { value: "draft", label: "Borrador" },
      { value: "open", label: "Abierta" },
      { value: "closed", label: "Cerrada" },
    ]);
    expect(vocabularyOptions("theme", "fr").map((option) => option.value)).toEqual([...THEME_CODES]);
  });
});

describe("guards and schemas", () => {
  test("isVocabularyCode accepts only the codes of that vocabulary", () => {
    expect(isVocabularyCode("theme", "cash-transfers")).toBe(true);
    expect(isVocabularyCode("theme", "published")).toBe(false);
    expect(isVocabularyCode("offerStatus", "published")).toBe(true);
    expect(isVocabularyCode("requestStatus", "published")).toBe(false);
    expect(isVocabularyCode("theme", "Cash-Transfers")).toBe(false);
    expect(isVocabularyCode("theme", undefined)).toBe(false);
    expect(isVocabularyCode("language", ["en"])).toBe(false);
  });

  test("isLocale accepts the four content languages only", () => {
    for (const locale of LOCALES) expect(isLocale(locale)).toBe(true);
    for (const value of ["de", "EN", "es-419", "", null, 1]) expect(isLocale(value)).toBe(false);
  });

  test("each zod enum accepts exactly its vocabulary's codes", () => {
    const schemas = {
      theme: themeSchema,
      modality: modalitySchema,
      language: languageSchema,
      organizationType: organizationTypeSchema,
      costSharing: costSharingSchema,
      offerStatus: offerStatusSchema,
      requestStatus: requestStatusSchema,
      subregion: subregionSchema,
    };
    const allCodes = new Set(VOCABULARY_NAMES.flatMap((name) => [...VOCABULARIES[name].codes]));
    for (const name of VOCABULARY_NAMES) {
      const schema = schemas[name];
      const codes: readonly string[] = VOCABULARIES[name].codes;
      for (const candidate of [...allCodes, "", "Workshop", " workshop", "msme_finance"]) {
        expect(schema.safeParse(candidate).success, `${name} ${JSON.stringify(candidate)}`).toBe(
          codes.includes(candidate),
        );
      }
    }
  });
});
