// The controlled vocabularies of the cooperation exchange format, version 1
// (shared/docs/exchange-format.md). Codes are the single source of truth for forms, the
// import/export format, the database CHECK constraints and the search index, so they are
// spelled exactly as the format spells them and must never be renamed: a renamed code
// breaks every file already exported.
//
// English and Spanish labels of themes and modalities are the format's own, verbatim.
// Portuguese and French labels are ours; search indexes all four, so they use the terms
// practitioners search for (e.g. "transferência de renda", "économie sociale et solidaire").
//
// Isomorphic: imported by browser and server code, so it depends on zod only.
import { z } from "zod";

export type Labels = Readonly<Record<Locale, string>>;

// ---------------------------------------------------------------------------------------
// Languages: the four official languages of the OAS. A text is written in one of them, a
// team works in some of them. The UI speaks a subset (app/i18n/config.ts).

export const LANGUAGE_CODES = ["en", "es", "pt", "fr"] as const;
export type LanguageCode = (typeof LANGUAGE_CODES)[number];
export const languageSchema = z.enum(LANGUAGE_CODES);

export const LANGUAGE_LABELS = {
  en: { en: "English", es: "Inglés", pt: "Inglês", fr: "Anglais" },
  es: { en: "Spanish", es: "Español", pt: "Espanhol", fr: "Espagnol" },
  pt: { en: "Portuguese", es: "Portugués", pt: "Português", fr: "Portugais" },
  fr: { en: "French", es: "Francés", pt: "Francês", fr: "Français" },
} as const satisfies Record<LanguageCode, Labels>;

// A content language. Every label exists in all four so that search can index them and the
// UI can grow into Portuguese and French without touching this module.
export type Locale = LanguageCode;
export const LOCALES = LANGUAGE_CODES;
export const localeSchema = languageSchema;
export const DEFAULT_LOCALE: Locale = "en";

export function isLocale(value: unknown): value is Locale {
  return LOCALES.some((locale) => locale === value);
}

// ---------------------------------------------------------------------------------------
// Themes

export const THEME_CODES = [
  "msme-finance",
  "entrepreneurship",
  "business-development-centers",
  "women-economic-empowerment",
  "youth-employment",
  "skills-training",
  "employment-services",
  "occupational-safety-health",
  "social-protection",
  "cash-transfers",
  "early-childhood",
  "family-support-graduation",
  "formalization",
  "supplier-development",
  "internationalization",
  "innovation-technology",
  "digital-transformation",
  "green-economy",
  "productivity-workplace",
  "social-economy",
  "labor-migration",
  "disability-inclusion",
  "ethnic-inclusion",
  "public-procurement",
  "regulatory-simplification",
  "social-information-systems",
  "institutional-strengthening",
] as const;
export type ThemeCode = (typeof THEME_CODES)[number];
export const themeSchema = z.enum(THEME_CODES);

export const THEME_LABELS = {
  "msme-finance": {
    en: "MSME finance and credit",
    es: "Financiamiento para MIPYMEs",
    pt: "Financiamento e crédito para MPMEs",
    fr: "Financement et crédit des MPME",
  },
  entrepreneurship: {
    en: "Entrepreneurship and start-ups",
    es: "Emprendimiento",
    pt: "Empreendedorismo e startups",
    fr: "Entrepreneuriat et création d’entreprises",
  },
  "business-development-centers": {
    en: "Business development centers (SBDC model)",
    es: "Centros de desarrollo empresarial (modelo SBDC)",
    pt: "Centros de desenvolvimento empresarial (modelo SBDC)",
    fr: "Centres de développement des entreprises (modèle SBDC)",
  },
  "women-economic-empowerment": {
    en: "Women's economic empowerment",
    es: "Empoderamiento económico de las mujeres",
    pt: "Empoderamento econômico das mulheres",
    fr: "Autonomisation économique des femmes",
  },
  "youth-employment": {
    en: "Youth employment",
    es: "Empleo juvenil",
    pt: "Emprego juvenil",
    fr: "Emploi des jeunes",
  },
  "skills-training": {
    en: "Skills and vocational training",
    es: "Formación profesional y competencias",
    pt: "Qualificação profissional e desenvolvimento de competências",
    fr: "Formation professionnelle et développement des compétences",
  },
  "employment-services": {
    en: "Public employment services and job matching",
    es: "Servicios públicos de empleo e intermediación laboral",
    pt: "Serviços públicos de emprego e intermediação de mão de obra",
    fr: "Services publics de l’emploi et intermédiation sur le marché du travail",
  },
  "occupational-safety-health": {
    en: "Occupational safety and health",
    es: "Seguridad y salud en el trabajo",
    pt: "Segurança e saúde no trabalho",
    fr: "Santé et sécurité au travail",
  },
  "social-protection": {
    en: "Social protection systems",
    es: "Sistemas de protección social",
    pt: "Sistemas de proteção social",
    fr: "Systèmes de protection sociale",
  },
  "cash-transfers": {
    en: "Cash transfer programs",
    es: "Programas de transferencias monetarias",
    pt: "Programas de transferência de renda",
    fr: "Programmes de transferts monétaires",
  },
  "early-childhood": {
    en: "Early childhood development",
    es: "Desarrollo infantil temprano",
    pt: "Desenvolvimento na primeira infância",
    fr: "Développement de la petite enfance",
  },
  "family-support-graduation": {
    en: "Family support and poverty graduation",
    es: "Acompañamiento familiar y superación de la pobreza",
    pt: "Acompanhamento familiar e superação da pobreza",
    fr: "Accompagnement des familles et sortie de la pauvreté",
  },
  formalization: {
    en: "Formalization of enterprises and workers",
    es: "Formalización de empresas y trabajadores",
    pt: "Formalização de empresas e trabalhadores",
    fr: "Formalisation des entreprises et des travailleurs",
  },
  "supplier-development": {
    en: "Supplier development and value chains",
    es: "Desarrollo de proveedores y cadenas de valor",
    pt: "Desenvolvimento de fornecedores e cadeias de valor",
    fr: "Développement des fournisseurs et chaînes de valeur",
  },
  internationalization: {
    en: "Export promotion and internationalization",
    es: "Internacionalización y promoción de exportaciones",
    pt: "Internacionalização e promoção de exportações",
    fr: "Promotion des exportations et internationalisation",
  },
  "innovation-technology": {
    en: "Innovation and technology transfer",
    es: "Innovación y transferencia tecnológica",
    pt: "Inovação e transferência de tecnologia",
    fr: "Innovation et transfert de technologie",
  },
  "digital-transformation": {
    en: "Digital transformation of MSMEs",
    es: "Transformación digital de las MIPYMEs",
    pt: "Transformação digital das MPMEs",
    fr: "Transformation numérique des MPME",
  },
  "green-economy": {
    en: "Green economy and sustainable production",
    es: "Economía verde y producción sostenible",
    pt: "Economia verde e produção sustentável",
    fr: "Économie verte et production durable",
  },
  "productivity-workplace": {
    en: "Productivity and workplace practices",
    es: "Productividad y prácticas en el lugar de trabajo",
    pt: "Produtividade e práticas no local de trabalho",
    fr: "Productivité et pratiques sur le lieu de travail",
  },
  "social-economy": {
    en: "Cooperatives and the social economy",
    es: "Cooperativas y economía social",
    pt: "Cooperativas e economia social e solidária",
    fr: "Coopératives et économie sociale et solidaire",
  },
  "labor-migration": {
    en: "Labor migration",
    es: "Migración laboral",
    pt: "Migração laboral",
    fr: "Migration de main-d’œuvre",
  },
  "disability-inclusion": {
    en: "Inclusion of persons with disabilities",
    es: "Inclusión de personas con discapacidad",
    pt: "Inclusão de pessoas com deficiência",
    fr: "Inclusion des personnes en situation de handicap",
  },
  "ethnic-inclusion": {
    en: "Indigenous and Afro-descendant inclusion",
    es: "Inclusión de pueblos indígenas y afrodescendientes",
    pt: "Inclusão de povos indígenas e afrodescendentes",
    fr: "Inclusion des peuples autochtones et des personnes afrodescendantes",
  },
  "public-procurement": {
    en: "MSME access to public procurement",
    es: "Acceso de las MIPYMEs a las compras públicas",
    pt: "Acesso das MPMEs às compras públicas",
    fr: "Accès des MPME aux marchés publics",
  },
  "regulatory-simplification": {
    en: "Simplification of business regulation",
    es: "Simplificación de trámites empresariales",
    pt: "Simplificação e desburocratização para empresas",
    fr: "Simplification des formalités administratives des entreprises",
  },
  "social-information-systems": {
    en: "Social registries and information systems",
    es: "Registros sociales y sistemas de información",
    pt: "Cadastros sociais e sistemas de informação",
    fr: "Registres sociaux et systèmes d’information",
  },
  "institutional-strengthening": {
    en: "Institutional strengthening",
    es: "Fortalecimiento institucional",
    pt: "Fortalecimento institucional",
    fr: "Renforcement institutionnel",
  },
} as const satisfies Record<ThemeCode, Labels>;

// ---------------------------------------------------------------------------------------
// Modalities: the ways of transfer

export const MODALITY_CODES = [
  "expert-mission",
  "study-visit",
  "virtual-exchange",
  "workshop",
  "training-of-trainers",
  "internship",
  "documentation",
  "joint-assessment",
  "advisory",
] as const;
export type ModalityCode = (typeof MODALITY_CODES)[number];
export const modalitySchema = z.enum(MODALITY_CODES);

export const MODALITY_LABELS = {
  "expert-mission": {
    en: "Expert mission",
    es: "Misión de expertos",
    pt: "Missão de especialistas",
    fr: "Mission d’experts",
  },
  "study-visit": {
    en: "Study visit",
    es: "Visita de estudio",
    pt: "Visita de estudo",
    fr: "Visite d’étude",
  },
  "virtual-exchange": {
    en: "Virtual exchange",
    es: "Intercambio virtual",
    pt: "Intercâmbio virtual",
    fr: "Échange virtuel",
  },
  workshop: {
    en: "Workshop or seminar",
    es: "Taller o seminario",
    pt: "Oficina ou seminário",
    fr: "Atelier ou séminaire",
  },
  "training-of-trainers": {
    en: "Training of trainers",
    es: "Formación de formadores",
    pt: "Formação de formadores",
    fr: "Formation de formateurs",
  },
  internship: {
    en: "Internship or secondment",
    es: "Pasantía",
    pt: "Estágio ou cessão temporária de pessoal",
    fr: "Stage ou détachement",
  },
  documentation: {
    en: "Manuals, toolkits and documentation",
    es: "Manuales, guías y documentación",
    pt: "Manuais, guias e documentação",
    fr: "Manuels, guides pratiques et documentation",
  },
  "joint-assessment": {
    en: "Joint diagnosis or peer review",
    es: "Diagnóstico conjunto o revisión entre pares",
    pt: "Diagnóstico conjunto ou revisão por pares",
    fr: "Diagnostic conjoint ou examen par les pairs",
  },
  advisory: {
    en: "Long-term advisory",
    es: "Asesoría de largo plazo",
    pt: "Assessoria de longo prazo",
    fr: "Accompagnement-conseil de longue durée",
  },
} as const satisfies Record<ModalityCode, Labels>;

// ---------------------------------------------------------------------------------------
// Organization types (the format gives codes only; all labels are ours)

export const ORGANIZATION_TYPE_CODES = [
  "ministry",
  "agency",
  "development-bank",
  "business-development-center",
  "training-institute",
  "international-organization",
  "ngo",
  "other",
] as const;
export type OrganizationTypeCode = (typeof ORGANIZATION_TYPE_CODES)[number];
export const organizationTypeSchema = z.enum(ORGANIZATION_TYPE_CODES);

export const ORGANIZATION_TYPE_LABELS = {
  ministry: {
    en: "Ministry",
    es: "Ministerio",
    pt: "Ministério",
    fr: "Ministère",
  },
  agency: {
    en: "Government agency",
    es: "Agencia gubernamental",
    pt: "Agência governamental",
    fr: "Agence gouvernementale",
  },
  "development-bank": {
    en: "Development bank",
    es: "Banco de desarrollo",
    pt: "Banco de desenvolvimento",
    fr: "Banque de développement",
  },
  "business-development-center": {
    en: "Business development center",
    es: "Centro de desarrollo empresarial",
    pt: "Centro de desenvolvimento empresarial",
    fr: "Centre de développement des entreprises",
  },
  "training-institute": {
    en: "Training institute",
    es: "Instituto de formación",
    pt: "Instituto de formação profissional",
    fr: "Institut de formation",
  },
  "international-organization": {
    en: "International organization",
    es: "Organismo internacional",
    pt: "Organização internacional",
    fr: "Organisation internationale",
  },
  ngo: {
    en: "Non-governmental organization (NGO)",
    es: "Organización no gubernamental (ONG)",
    pt: "Organização não governamental (ONG)",
    fr: "Organisation non gouvernementale (ONG)",
  },
  other: {
    en: "Other",
    es: "Otro",
    pt: "Outro",
    fr: "Autre",
  },
} as const satisfies Record<OrganizationTypeCode, Labels>;

// ---------------------------------------------------------------------------------------
// Cost sharing of an offer (the format gives codes only; all labels are ours)

export const COST_SHARING_CODES = [
  "offerer-funded",
  "shared",
  "requester-funded",
  "to-be-negotiated",
] as const;
export type CostSharingCode = (typeof COST_SHARING_CODES)[number];
export const costSharingSchema = z.enum(COST_SHARING_CODES);

export const COST_SHARING_LABELS = {
  "offerer-funded": {
    en: "Funded by the offering organization",
    es: "Financiado por la organización oferente",
    pt: "Financiado pela organização ofertante",
    fr: "Financé par l’organisation qui offre",
  },
  shared: {
    en: "Shared costs",
    es: "Costos compartidos",
    pt: "Custos compartilhados",
    fr: "Coûts partagés",
  },
  "requester-funded": {
    en: "Funded by the requesting organization",
    es: "Financiado por la organización solicitante",
    pt: "Financiado pela organização solicitante",
    fr: "Financé par l’organisation demandeuse",
  },
  "to-be-negotiated": {
    en: "To be negotiated",
    es: "A negociar",
    pt: "A negociar",
    fr: "À négocier",
  },
} as const satisfies Record<CostSharingCode, Labels>;

// ---------------------------------------------------------------------------------------
// Statuses. Offers and requests have different sets; the labels agree in gender with
// "oferta"/"offre" and "solicitud"/"solicitação"/"demande", all feminine.

export const OFFER_STATUS_CODES = ["draft", "published", "archived"] as const;
export type OfferStatusCode = (typeof OFFER_STATUS_CODES)[number];
export const offerStatusSchema = z.enum(OFFER_STATUS_CODES);

export const OFFER_STATUS_LABELS = {
  draft: { en: "Draft", es: "Borrador", pt: "Rascunho", fr: "Brouillon" },
  published: { en: "Published", es: "Publicada", pt: "Publicada", fr: "Publiée" },
  archived: { en: "Archived", es: "Archivada", pt: "Arquivada", fr: "Archivée" },
} as const satisfies Record<OfferStatusCode, Labels>;

export const REQUEST_STATUS_CODES = ["draft", "open", "closed"] as const;
export type RequestStatusCode = (typeof REQUEST_STATUS_CODES)[number];
export const requestStatusSchema = z.enum(REQUEST_STATUS_CODES);

export const REQUEST_STATUS_LABELS = {
  draft: { en: "Draft", es: "Borrador", pt: "Rascunho", fr: "Brouillon" },
  open: { en: "Open", es: "Abierta", pt: "Aberta", fr: "Ouverte" },
  closed: { en: "Closed", es: "Cerrada", pt: "Encerrada", fr: "Clôturée" },
} as const satisfies Record<RequestStatusCode, Labels>;

// ---------------------------------------------------------------------------------------
// OAS subregions of the countries of the Americas (country.subregion). Not part of the
// exchange format: the app derives it from an organization's country.

export const SUBREGION_CODES = [
  "north-america",
  "central-america",
  "caribbean",
  "south-america",
] as const;
export type SubregionCode = (typeof SUBREGION_CODES)[number];
export const subregionSchema = z.enum(SUBREGION_CODES);

export const SUBREGION_LABELS = {
  "north-america": {
    en: "North America",
    es: "América del Norte",
    pt: "América do Norte",
    fr: "Amérique du Nord",
  },
  "central-america": {
    en: "Central America",
    es: "Centroamérica",
    pt: "América Central",
    fr: "Amérique centrale",
  },
  caribbean: {
    en: "Caribbean",
    es: "Caribe",
    pt: "Caribe",
    fr: "Caraïbes",
  },
  "south-america": {
    en: "South America",
    es: "América del Sur",
    pt: "América do Sul",
    fr: "Amérique du Sud",
  },
} as const satisfies Record<SubregionCode, Labels>;

// ---------------------------------------------------------------------------------------
// One registry so labels, options and guards work the same way for every vocabulary.

type CodesByVocabulary = {
  theme: ThemeCode;
  modality: ModalityCode;
  language: LanguageCode;
  organizationType: OrganizationTypeCode;
  costSharing: CostSharingCode;
  offerStatus: OfferStatusCode;
  requestStatus: RequestStatusCode;
  subregion: SubregionCode;
};

export type VocabularyName = keyof CodesByVocabulary;
export type VocabularyCode<V extends VocabularyName> = CodesByVocabulary[V];

export type Vocabulary<Code extends string> = {
  // in the order forms list them: the exchange format's order
  readonly codes: readonly Code[];
  readonly labels: Readonly<Record<Code, Labels>>;
};

export const VOCABULARIES: {
  readonly [V in VocabularyName]: Vocabulary<CodesByVocabulary[V]>;
} = {
  theme: { codes: THEME_CODES, labels: THEME_LABELS },
  modality: { codes: MODALITY_CODES, labels: MODALITY_LABELS },
  language: { codes: LANGUAGE_CODES, labels: LANGUAGE_LABELS },
  organizationType: { codes: ORGANIZATION_TYPE_CODES, labels: ORGANIZATION_TYPE_LABELS },
  costSharing: { codes: COST_SHARING_CODES, labels: COST_SHARING_LABELS },
  offerStatus: { codes: OFFER_STATUS_CODES, labels: OFFER_STATUS_LABELS },
  requestStatus: { codes: REQUEST_STATUS_CODES, labels: REQUEST_STATUS_LABELS },
  subregion: { codes: SUBREGION_CODES, labels: SUBREGION_LABELS },
};

// The locale is a plain string because it often comes from a request (Accept-Language, a
// cookie, a stored preference); anything that is not one of the four falls back to English.
export function vocabularyLabel<V extends VocabularyName>(
  vocabulary: V,
  code: VocabularyCode<V>,
  locale: string,
): string {
  const labels: Labels = VOCABULARIES[vocabulary].labels[code];
  return (isLocale(locale) ? labels[locale] : "") || labels[DEFAULT_LOCALE];
}

// All four labels of a code, e.g. for the search index, which matches any of them.
export function vocabularyLabels<V extends VocabularyName>(
  vocabulary: V,
  code: VocabularyCode<V>,
): Labels {
  return VOCABULARIES[vocabulary].labels[code];
}

export type VocabularyOption<Code extends string> = { value: Code; label: string };

export function vocabularyOptions<V extends VocabularyName>(
  vocabulary: V,
  locale: string,
): VocabularyOption<VocabularyCode<V>>[] {
  return VOCABULARIES[vocabulary].codes.map((code) => ({
    value: code,
    label: vocabularyLabel(vocabulary, code, locale),
  }));
}

// Vocabulary columns are text in the database, so values read back are plain strings;
// this narrows them without a cast.
export function isVocabularyCode<V extends VocabularyName>(
  vocabulary: V,
  value: unknown,
): value is VocabularyCode<V> {
  return VOCABULARIES[vocabulary].codes.some((code) => code === value);
}
