import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getFlash, redirectWithFlash } from "~/auth/flash.server";
import { isStaff, requireUser } from "~/auth/guards.server";
import { LanguageTag, StaleBadge, StatusBadge } from "~/components/catalogue/badges";
import { useCatalogueFormat } from "~/components/catalogue/format";
import { StatusActions } from "~/components/catalogue/status-actions";
import { VocabularyChips } from "~/components/catalogue/vocabulary-chips";
import { FlashMessage } from "~/components/flash";
import { i18nServer } from "~/i18n/i18next.server";
import { availableRequestIntents, belongsTo, decideEdit, decideStatusChange } from "~/models/offer-rules";
import { changeRequestStatus, getRequest } from "~/models/request.server";
import { recordIdSchema } from "~/schemas/offer";
import { requestIntentSchema } from "~/schemas/request";
import { safeRedirectPath } from "~/utils/redirect";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.request.title} · Enlace` : "Enlace" }];

function parseId(value: string | undefined): string {
  const parsed = recordIdSchema.safeParse(value);
  if (!parsed.success) throw new Response("Not found", { status: 404 });
  return parsed.data;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  // Requests are not public: visitors log in first; getRequest shows each user only what they may read.
  const user = await requireUser(request);
  const id = parseId(params.id);
  const locale = await i18nServer.getLocale(request);
  const record = await getRequest({ id, viewer: user, locale });
  if (!record) throw new Response("Not found", { status: 404 });
  const { flash, headers } = await getFlash(request);
  const statusDecision = decideStatusChange(user, record);
  return json(
    {
      request: record,
      flash,
      canEdit: decideEdit(user, record) === "allowed",
      // Confirming is offered where it is due; the action accepts it at any time.
      intents:
        statusDecision === "allowed"
          ? availableRequestIntents(record.status).filter((intent) => intent !== "confirm-current" || record.stale)
          : [],
      awaitingVerification: belongsTo(user, record.organizationId) && statusDecision === "pending",
      canManage: statusDecision !== "not-owner",
      // Staff pair open requests by hand from here (the matcher may have missed a fit).
      canBroker: isStaff(user) && record.status === "open",
    },
    { headers },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = parseId(params.id);
  const parsed = requestIntentSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) {
    return json({ error: "catalogue:validation.unknownCode", field: "intent" }, { status: 400 });
  }
  const { intent, redirectTo } = parsed.data;
  const record = await getRequest({ id, viewer: user, locale: await i18nServer.getLocale(request) });
  if (!record) throw new Response("Not found", { status: 404 });
  const decision = decideStatusChange(user, record);
  if (decision === "not-owner") throw new Response("Forbidden", { status: 403 });
  if (decision === "pending") {
    return json({ error: "catalogue:errors.pendingCannotPublish", field: "intent" }, { status: 403 });
  }
  const result = await changeRequestStatus({ id, actor: user, intent });
  if (!result.ok) {
    if (result.reason === "not-found") throw new Response("Not found", { status: 404 });
    return json({ error: "catalogue:errors.invalidTransition", field: "intent" }, { status: 409 });
  }
  const t = await i18nServer.getFixedT(request, "catalogue");
  const message = intent === "publish" ? t("flash.requestPublish") : t(`flash.${intent}`);
  return redirectWithFlash(safeRedirectPath(redirectTo, `/requests/${id}`), message);
}

export default function RequestPage() {
  const { request, flash, canEdit, intents, awaitingVerification, canManage, canBroker } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("catalogue");
  const format = useCatalogueFormat();
  const errorKey = actionData?.error.replace(/^catalogue:/, "");

  return (
    <div className="container stack">
      <FlashMessage flash={flash} />
      <p className="breadcrumb">
        <Link to="/requests">← {t("requests.title")}</Link>
      </p>
      <header className="record-header">
        <div className="record-card__badges">
          <StatusBadge kind="request" status={request.status} />
          {request.stale ? <StaleBadge /> : null}
          <LanguageTag language={request.language} />
        </div>
        <h1 lang={request.language}>{request.title}</h1>
        <p className="record-header__meta">
          {t("requests.requestedBy")} <Link to={`/organizations/${request.organization.id}`}>{request.organization.name}</Link>
          {" · "}
          <Link to={`/countries/${request.organization.countryCode}`}>{request.organization.countryName}</Link>
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
          {request.status === "draft" ? <p>{t("actions.draftNotice")}</p> : null}
          {request.status === "closed" ? <p>{t("actions.closedNotice")}</p> : null}
          {request.stale ? <p>{t("stale.explanation")}</p> : null}
          {awaitingVerification ? <p className="alert alert--warning">{t("errors.pendingCannotPublish")}</p> : null}
          <StatusActions kind="request" id={request.id} status={request.status} intents={intents} canEdit={canEdit} />
        </section>
      ) : null}

      {canBroker ? (
        <section className="manage-panel card" aria-labelledby="broker-heading" data-testid="broker-panel">
          <h2 id="broker-heading" className="manage-panel__heading">
            {t("requests.brokerHeading")}
          </h2>
          <p>{t("requests.brokerLead")}</p>
          <Link className="button button--secondary" to={`/staff/pairings/requests/${request.id}`}>
            {t("requests.brokerLink")}
          </Link>
        </section>
      ) : null}

      <div className="detail-layout">
        <article className="detail-layout__main card stack">
          <p className="record-lead" lang={request.language}>
            {request.summary}
          </p>
          {request.description ? (
            <section aria-labelledby="description-heading">
              <h2 id="description-heading">{t("fields.requestDescription")}</h2>
              <div className="content-text" lang={request.language}>
                {request.description}
              </div>
            </section>
          ) : null}
        </article>

        <aside className="detail-layout__aside card" aria-labelledby="details-heading">
          <h2 id="details-heading">{t("offers.details")}</h2>
          <dl className="detail-list">
            <dt>{t("fields.themes")}</dt>
            <dd>
              <VocabularyChips vocabulary="theme" codes={request.themes} label={t("fields.themes")} />
            </dd>
            <dt>{t("fields.requestModalities")}</dt>
            <dd>
              <VocabularyChips
                vocabulary="modality"
                codes={request.modalities}
                label={t("fields.requestModalities")}
                emptyText={t("requests.anyModality")}
              />
            </dd>
            <dt>{t("fields.workingLanguages")}</dt>
            <dd>
              <VocabularyChips vocabulary="language" codes={request.workingLanguages} label={t("fields.workingLanguages")} />
            </dd>
            {request.desiredStart ? (
              <>
                <dt>{t("fields.desiredStart")}</dt>
                <dd>
                  <time dateTime={request.desiredStart}>{format.date(request.desiredStart)}</time>
                </dd>
              </>
            ) : null}
            {request.desiredEnd ? (
              <>
                <dt>{t("fields.desiredEnd")}</dt>
                <dd>
                  <time dateTime={request.desiredEnd}>{format.date(request.desiredEnd)}</time>
                </dd>
              </>
            ) : null}
            <dt>{t("fields.language")}</dt>
            <dd>{format.label("language", request.language)}</dd>
            <dt>{t("fields.lastConfirmed")}</dt>
            <dd data-testid="last-confirmed">
              <time dateTime={request.lastConfirmedCurrentAt}>{format.date(request.lastConfirmedCurrentAt)}</time>
            </dd>
            <dt>{t("fields.organization")}</dt>
            <dd>
              <Link to={`/organizations/${request.organization.id}`}>{request.organization.name}</Link>
              <br />
              <span className="muted">{format.label("organizationType", request.organization.type)}</span>
            </dd>
            <dt>{t("fields.country")}</dt>
            <dd>
              <Link to={`/countries/${request.organization.countryCode}`}>{request.organization.countryName}</Link>
            </dd>
            <dt>{t("fields.key")}</dt>
            <dd>
              <code className="record-key">{request.key}</code>
            </dd>
          </dl>
        </aside>
      </div>
    </div>
  );
}
