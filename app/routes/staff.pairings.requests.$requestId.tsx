import { useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { redirectWithFlash } from "~/auth/flash.server";
import { requireStaff } from "~/auth/guards.server";
import { refusalResponse } from "~/components/brokering/errors.server";
import { ConformForm, ErrorList } from "~/components/forms";
import { i18nServer } from "~/i18n/i18next.server";
import { messageLocale } from "~/mail/messages";
import { createManualPairing, findOffersForPairing, getRequestPairings } from "~/models/pairing.server";
import { manualPairingSchema, pairingIdSchema, pairingSearchSchema } from "~/schemas/brokering";
import { parseSearchState } from "~search/facets";
import { rethrowSearchBusyAsResponse, searchCatalogue } from "~search/search.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} · Enlace` : "Enlace" }];

function parseId(value: string | undefined): string {
  const parsed = pairingIdSchema.safeParse(value);
  if (!parsed.success) throw new Response("Not found", { status: 404 });
  return parsed.data;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request);
  const requestId = parseId(params.requestId);
  const locale = messageLocale(await i18nServer.getLocale(request));
  const record = await getRequestPairings({ requestId, locale });
  if (!record) throw new Response("Not found", { status: 404 });
  const url = new URL(request.url);
  const { q } = pairingSearchSchema.parse({ q: url.searchParams.get("q") ?? undefined });
  const query = q || record.title;
  // The catalogue's own search (Meilisearch, or PostgreSQL when it is down), offers only.
  const results = await searchCatalogue({ state: parseSearchState(new URLSearchParams({ q: query, type: "offers" })), canSearchRequests: false }).catch(rethrowSearchBusyAsResponse);
  const offers = await findOffersForPairing({ ids: results.hits.map((hit) => hit.id), locale });
  const paired = new Map(record.proposals.map((proposal) => [proposal.offer.id, proposal.id]));
  const t = await i18nServer.getFixedT(request, "brokering");
  return json({
    title: `${t("manual.title")}: ${record.title}`,
    query,
    degraded: results.degraded,
    request: { id: record.id, title: record.title, status: record.status, organization: record.organization },
    proposals: record.proposals,
    offers: offers.map((offer) => ({
      ...offer,
      ownCountry: offer.organization.countryCode === record.organization.countryCode,
      pairingId: paired.get(offer.id) ?? null,
    })),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const staff = await requireStaff(request);
  const requestId = parseId(params.requestId);
  const submission = parseWithZod(await request.formData(), { schema: manualPairingSchema });
  if (submission.status !== "success") return json({ form: "pair", result: submission.reply(), error: null }, { status: 400 });
  let proposalId: string;
  try {
    ({ proposalId } = await createManualPairing({ requestId, offerId: submission.value.offerId, staff }));
  } catch (error) {
    return refusalResponse(error, "pair");
  }
  const t = await i18nServer.getFixedT(request, "brokering");
  return redirectWithFlash(`/staff/pairings/${proposalId}`, t("flash.paired"));
}

function PairButton({ offerId, label }: { offerId: string; label: string }) {
  const navigation = useNavigation();
  const [form] = useForm({ id: `pair-${offerId}` });
  return (
    <ConformForm form={form} method="post">
      <input type="hidden" name="intent" value="pair" />
      <input type="hidden" name="offerId" value={offerId} />
      <button type="submit" className="button button--secondary" disabled={navigation.state === "submitting"}>
        {label}
      </button>
    </ConformForm>
  );
}

export default function RequestPairingsPage() {
  const { query, degraded, request, proposals, offers } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("brokering");
  return (
    <div className="container stack">
      <p>
        <Link to="/staff/pairings">← {t("pairing.back")}</Link>
      </p>
      <h1>
        {t("manual.title")}: <Link to={`/requests/${request.id}`}>{request.title}</Link>
      </h1>
      <p className="muted">
        {request.organization.name} · {request.organization.countryName}
      </p>
      <p>{t("manual.intro")}</p>
      {actionData?.error ? (
        <div role="alert" className="alert alert--danger">
          <ErrorList errors={[actionData.error]} />
        </div>
      ) : null}
      <section aria-labelledby="proposals-heading" className="stack">
        <h2 id="proposals-heading">{t("manual.proposals")}</h2>
        {proposals.length === 0 ? (
          <p className="empty-state">{t("manual.none")}</p>
        ) : (
          <ul className="link-list">
            {proposals.map((proposal) => (
              <li key={proposal.id}>
                <Link to={`/staff/pairings/${proposal.id}`}>{proposal.offer.title}</Link>{" "}
                <span className="muted">
                  · {proposal.offer.organization.name} ({proposal.offer.organization.countryName}) · {proposal.score.toFixed(1)} · {t(`status.${proposal.status}`)} · {t(`source.${proposal.source}`)}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="search-heading" className="stack">
        <h2 id="search-heading">{t("manual.search")}</h2>
        <Form method="get" className="cluster" role="search">
          <label htmlFor="pairing-search" className="field__label">
            {t("manual.query")}
          </label>
          <input id="pairing-search" type="search" name="q" defaultValue={query} />
          <button type="submit" className="button button--secondary">
            {t("manual.submit")}
          </button>
        </Form>
        {degraded ? <p className="alert alert--warning">{t("manual.degraded")}</p> : null}
        <h3>{t("manual.results")}</h3>
        {offers.length === 0 ? (
          <p className="empty-state">{t("manual.noResults")}</p>
        ) : (
          <ul className="card-list" data-testid="pairing-search-results">
            {offers.map((offer) => (
              <li key={offer.id} className="card stack">
                <h4 className="card__title">
                  <Link to={`/offers/${offer.id}`}>{offer.title}</Link>
                </h4>
                <p className="muted">
                  {offer.organization.name} · {offer.organization.countryName}
                </p>
                <p>{offer.summary}</p>
                {offer.pairingId ? (
                  <Link to={`/staff/pairings/${offer.pairingId}`}>{t("manual.alreadyPaired")}</Link>
                ) : offer.ownCountry ? (
                  <p className="muted">{t("manual.ownCountry")}</p>
                ) : (
                  <PairButton offerId={offer.id} label={t("manual.pair")} />
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
