import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { BulletinEdition } from "~/models/bulletin-edition";

/**
 * One bulletin issue in one language, as the archive page shows it. The headings follow the
 * edition's language, not the interface's: a Spanish edition reads Spanish throughout.
 */
export function BulletinContent({ edition, headingLevel = 2 }: { edition: BulletinEdition; headingLevel?: 2 | 3 }) {
  const { i18n } = useTranslation();
  const t = i18n.getFixedT(edition.locale, "bulletin");
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <div className="bulletin stack" lang={edition.locale}>
      {edition.intro.map((paragraph, index) => (
        <p key={index} className="bulletin__intro">
          {paragraph}
        </p>
      ))}
      {edition.sections.length === 0 ? <p className="muted">{t("issue.nothingNew")}</p> : null}
      {edition.sections.map((section) => (
        <section key={section.key} className="bulletin__section" aria-labelledby={`bulletin-${section.key}`} data-testid={`bulletin-section-${section.key}`}>
          <Heading id={`bulletin-${section.key}`}>{t(`sections.${section.key}`)}</Heading>
          <ul className="bulletin__items">
            {section.items.map((item) => (
              <li key={item.id} className="bulletin__item">
                <Link to={item.path} className="bulletin__item-title" lang={item.language === edition.locale ? undefined : item.language}>
                  {item.title}
                </Link>
                <div className="card__meta">{item.meta}</div>
                {item.summary ? (
                  <p className="bulletin__summary" lang={item.language === edition.locale ? undefined : item.language}>
                    {item.summary}
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
