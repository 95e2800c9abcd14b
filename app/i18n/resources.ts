import { common as enCommon } from "./locales/en/common";
import { common as esCommon } from "./locales/es/common";
import { auth as enAuth } from "./locales/en/auth";
import { auth as esAuth } from "./locales/es/auth";
import { catalogue as enCatalogue } from "./locales/en/catalogue";
import { catalogue as esCatalogue } from "./locales/es/catalogue";
import { search as enSearch } from "./locales/en/search";
import { search as esSearch } from "./locales/es/search";
import { mail as enMail } from "./locales/en/mail";
import { mail as esMail } from "./locales/es/mail";
import { bulletin as enBulletin } from "./locales/en/bulletin";
import { bulletin as esBulletin } from "./locales/es/bulletin";
import { meetings as enMeetings } from "./locales/en/meetings";
import { meetings as esMeetings } from "./locales/es/meetings";
import { insights as enInsights } from "./locales/en/insights";
import { insights as esInsights } from "./locales/es/insights";
import { exchange as enExchange } from "./locales/en/exchange";
import { exchange as esExchange } from "./locales/es/exchange";
import { brokering as enBrokering } from "./locales/en/brokering";
import { brokering as esBrokering } from "./locales/es/brokering";
import type { UiLocale } from "./config";

/**
 * Every namespace of every UI language. Spanish files are typed against the English ones, so a
 * missing translation fails `npm run typecheck`.
 */
export const resources = {
  en: { common: enCommon, auth: enAuth, catalogue: enCatalogue, search: enSearch, mail: enMail, bulletin: enBulletin, meetings: enMeetings, exchange: enExchange, insights: enInsights, brokering: enBrokering },
  es: { common: esCommon, auth: esAuth, catalogue: esCatalogue, search: esSearch, mail: esMail, bulletin: esBulletin, meetings: esMeetings, exchange: esExchange, insights: esInsights, brokering: esBrokering },
} satisfies Record<UiLocale, Record<string, unknown>>;

export type Namespace = keyof (typeof resources)["en"];
export const NAMESPACES = Object.keys(resources.en) as Namespace[];
