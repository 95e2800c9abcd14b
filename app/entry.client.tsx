import { RemixBrowser } from "@remix-run/react";
import i18next from "i18next";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { DEFAULT_NAMESPACE, DEFAULT_UI_LOCALE } from "~/i18n/config";
import { resources } from "~/i18n/resources";

async function hydrate() {
  // The server already chose the language and wrote it to <html lang>; the client follows it.
  await i18next.use(initReactI18next).init({
    lng: document.documentElement.lang || DEFAULT_UI_LOCALE,
    fallbackLng: DEFAULT_UI_LOCALE,
    defaultNS: DEFAULT_NAMESPACE,
    resources,
    interpolation: { escapeValue: false },
  });

  startTransition(() => {
    hydrateRoot(
      document,
      <I18nextProvider i18n={i18next}>
        <StrictMode>
          <RemixBrowser />
        </StrictMode>
      </I18nextProvider>,
    );
  });
}

void hydrate();
