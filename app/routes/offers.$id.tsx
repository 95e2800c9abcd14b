import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getFlash, redirectWithFlash } from "~/auth/flash.server";
import { requireUser } from "~/auth/guards.server";
import { getOptionalUser } from "~/auth/session.server";
import { EvidenceBadge, LanguageTag, StaleBadge, StatusBadge } from "~/components/catalogue/badges";
import { useCatalogueFormat } from "~/components/catalogue/format";
import { StatusActions } from "~/components/catalogue/status-actions";
import { VocabularyChips } from "~/components/catalogue/vocabulary-chips";
import { FlashMessage } from "~/components/flash";
import { i18nServer } from "~/i18n/i18next.server";
import { availableOfferIntents, belongsTo, decideEdit, decideStatusChange } from "~/models/offer-rules";
import { changeOfferStatus, getOffer } from "~/models/offer.server";
import { offerIntentSchema, recordIdSchema } from "~/schemas/offer";
import { safeRedirectPath } from "~/utils/redirect";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.offer.title} · Enlace` : "Enlace" },
  ...(data ? [{ name: "description", content: data.offer.summary.slice(0, 300) }] : []),
];

function parseId(value: string | undefined): string {
  const parsed = recordIdSchema.safeParse(value);
  if (!parsed.success) throw new Response("Not found", { status: 404 });
  return parsed.data;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = parseId(params.id);
  const [user, locale] = await Promise.all([getOptionalUser(request), i18nServer.getLocale(request)]);
  const offer = await getOffer({ id, viewer: user, locale });
  if (!offer) throw new Response("Not found", { status: 404 });
  const { flash, headers } = await getFlash(request);
  const owner = user ? belongsTo(user, offer.organizationId) : false;
  const statusDecision = user ? decideStatusChange(user, offer) : "not-owner";
  return json(
    {
      offer,
      flash,
      canEdit: user ? decideEdit(user, offer) === "allowed" : false,
      // Confirming is offered where it is due; the action accepts it at any time.
      intents:
        statusDecision === "allowed"
          ? availableOfferIntents(offer.status).filter((intent) => intent !== "confirm-current" || offer.stale)
          : [],
      // The owner's page says why the status buttons are missing rather than leaving them out silently.
      awaitingVerification: owner && statusDecision === "pending",
      canManage: statusDecision !== "not-owner",
      // Agencies request programs of other agencies; their own offers need no request.
      canRequest: Boolean(user?.organizationId) && !owner && offer.status === "published",
    },
    { headers },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = parseId(params.id);
  const parsed = offerIntentSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) {
    return json({ error: "catalogue:validation.unknownCode", field: "intent" }, { status: 400 });
  }
  const { intent, redirectTo } = parsed.data;
  const locale = await i18nServer.getLocale(request);
  const offer = await getOffer({ id, viewer: user, locale });
  if (!offer) throw new Response("Not found", { status: 404 });
  const decision = decideStatusChange(user, offer);
  if (decision === "not-owner") throw new Response("Forbidden", { status: 403 });
  if (decision === "pending") {
    return json({ error: "catalogue:errors.pendingCannotPublish", field: "intent" }, { status: 403 });
  }
  const result = await changeOfferStatus({ id, actor: user, intent });
  if (!result.ok) {
    if (result.reason === "not-found") throw new Response("Not found", { status: 404 });
    return json({ error: "catalogue:errors.invalidTransition", field: "intent" }, { status: 409 });
  }
  const t = await i18nServer.getFixedT(request, "catalogue");
  return redirectWithFlash(safeRedirectPath(redirectTo, `/offers/${id}`), t(`flash.${intent}`));
}

export default function OfferPage() {
  const { offer, flash, canEdit, intents, awaitingVerification, canManage, canRequest } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("catalogue");
  const format = useCatalogueFormat();
  const errorKey = actionData?.error.replace(/^catalogue:/, "");

  return (
    <div className="container stack">
      <FlashMessage flash={flash} />
      <p className="breadcrumb">
        <Link to="/offers">← {t("offers.title")}</Link>
      </p>
      <header className="record-header">
        <div className="record-card__badges">
          <EvidenceBadge level={offer.evidenceLevel} />
          {offer.status !== "published" ? <StatusBadge kind="offer" status={offer.status} /> : null}
          {offer.stale ? <StaleBadge /> : null}
          <LanguageTag language={offer.language} />
        </div>
        <h1 lang={offer.language}>{offer.title}</h1>
        <p className="record-header__meta">
          {t("offers.aboutOrganization")} <Link to={`/organizations/${offer.organization.id}`}>{offer.organization.name}</Link>
          {" · "}
          <Link to={`/countries/${offer.organization.countryCode}`}>{offer.organization.countryName}</Link>
        </p>
      </header>

      {errorKey ? (
        <div className="alert alert--danger" role="alert">
          {errorKey === "errors.pendingCannotPublish" ? t("errors.pendingCannotPublish") : t("errors.invalidTransition")}
        </div>
      ) : null}

      {canManage ? (
        <section className="manage-panel card" aria-labelledby="manage-heading">
          <h2 id="manage-heading" className="manage-panel__heading">
            {t("actions.heading")}
          </h2>
          {offer.status === "draft" ? <p>{t("actions.draftNotice")}</p> : null}
          {offer.status === "archived" ? <p>{t("actions.archivedNotice")}</p> : null}
          {offer.stale ? <p>{t("stale.explanation")}</p> : null}
          {awaitingVerification ? <p className="alert alert--warning">{t("errors.pendingCannotPublish")}</p> : null}
          <StatusActions kind="offer" id={offer.id} status={offer.status} intents={intents} canEdit={canEdit} />
        </section>
      ) : null}

      <div className="detail-layout">
        <article className="detail-layout__main card stack">
          <p className="record-lead" lang={offer.language}>
            {offer.summary}
          </p>
          {offer.description ? (
            <section aria-labelledby="description-heading">
              <h2 id="description-heading">{t("fields.offerDescription")}</h2>
              <div className="content-text" lang={offer.language}>
                {offer.description}
              </div>
            </section>
          ) : null}
          {offer.targetPopulation ? (
            <section aria-labelledby="population-heading">
              <h2 id="population-heading">{t("fields.targetPopulation")}</h2>
              <div className="content-text" lang={offer.language}>
                {offer.targetPopulation}
              </div>
            </section>
          ) : null}
          {offer.evidence ? (
            <section aria-labelledby="evidence-heading">
              <h2 id="evidence-heading">{t("fields.evidence")}</h2>
              <div className="content-text" lang={offer.language}>
                {offer.evidence}
              </div>
            </section>
          ) : null}
          <p className="muted">{t(`evidence.${offer.evidenceLevel}Hint`)}</p>
        </article>

        <aside className="detail-layout__aside card" aria-labelledby="details-heading">
          <h2 id="details-heading">{t("offers.details")}</h2>
          {canRequest ? (
            <div className="detail-cta">
              <Link to={`/requests/new?fromOffer=${offer.id}`} className="button button--primary" data-testid="request-this-program">
                {t("offers.requestThisProgram")}
              </Link>
              <p className="field__hint">{t("offers.requestThisProgramHint")}</p>
            </div>
          ) : null}
          <dl className="detail-list">
            <dt>{t("fields.themes")}</dt>
            <dd>
              <VocabularyChips vocabulary="theme" codes={offer.themes} label={t("fields.themes")} />
            </dd>
            <dt>{t("fields.modalities")}</dt>
            <dd>
              <VocabularyChips vocabulary="modality" codes={offer.modalities} label={t("fields.modalities")} />
            </dd>
            <dt>{t("fields.workingLanguages")}</dt>
            <dd>
              <VocabularyChips vocabulary="language" codes={offer.workingLanguages} label={t("fields.workingLanguages")} />
            </dd>
            <dt>{t("fields.capacityPerYear")}</dt>
            <dd>{t("offers.capacity", { number: format.number(offer.capacityPerYear) })}</dd>
            <dt>{t("fields.costSharing")}</dt>
            <dd>{format.label("costSharing", offer.costSharing)}</dd>
            <dt>{t("fields.language")}</dt>
            <dd>{format.label("language", offer.language)}</dd>
            <dt>{t("fields.lastConfirmed")}</dt>
            <dd data-testid="last-confirmed">
              <time dateTime={offer.lastConfirmedCurrentAt}>{format.date(offer.lastConfirmedCurrentAt)}</time>
            </dd>
            {offer.publishedAt ? (
              <>
                <dt>{t("fields.published")}</dt>
                <dd>
                  <time dateTime={offer.publishedAt}>{format.date(offer.publishedAt)}</time>
                </dd>
              </>
            ) : null}
            <dt>{t("fields.organization")}</dt>
            <dd>
              <Link to={`/organizations/${offer.organization.id}`}>{offer.organization.name}</Link>
              <br />
              <span className="muted">{format.label("organizationType", offer.organization.type)}</span>
            </dd>
            <dt>{t("fields.country")}</dt>
            <dd>
              <Link to={`/countries/${offer.organization.countryCode}`}>{offer.organization.countryName}</Link>
            </dd>
            <dt>{t("fields.key")}</dt>
            <dd>
              <code className="record-key">{offer.key}</code>
            </dd>
          </dl>
        </aside>
      </div>
    </div>
  );
}
