import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getFlash } from "~/auth/flash.server";
import { requireStaff } from "~/auth/guards.server";
import { useCatalogueFormat } from "~/components/catalogue/format";
import { FilterSelect } from "~/components/catalogue/filters";
import { FlashMessage } from "~/components/flash";
import { i18nServer } from "~/i18n/i18next.server";
import { messageLocale } from "~/mail/messages";
import { listCountryOptions } from "~/models/organization.server";
import { listPairingQueue } from "~/models/pairing.server";
import { pairingQueueQuerySchema, QUEUE_STATUSES } from "~/schemas/brokering";
import { vocabularyOptions } from "~/schemas/vocabulary";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} · Enlace` : "Enlace" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const url = new URL(request.url);
  const query = pairingQueueQuerySchema.parse(Object.fromEntries([...url.searchParams].filter(([, value]) => value !== "")));
  const locale = messageLocale(await i18nServer.getLocale(request));
  const [t, { flash, headers }, queue, countries] = await Promise.all([
    i18nServer.getFixedT(request, "brokering"),
    getFlash(request),
    listPairingQueue({ query, locale }),
    listCountryOptions({ locale }),
  ]);
  return json(
    {
      title: t("queue.title"),
      flash,
      query,
      queue: { ...queue, rows: queue.rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() })) },
      countries,
      subregions: vocabularyOptions("subregion", locale),
      themes: vocabularyOptions("theme", locale),
    },
    { headers },
  );
}

export default function PairingQueuePage() {
  const { flash, query, queue, countries, subregions, themes } = useLoaderData<typeof loader>();
  const { t } = useTranslation("brokering");
  const format = useCatalogueFormat();
  // Links keep the other filters: a new page, or another status (from its first page).
  const linkWith = (changes: { page?: number; status?: string }) => {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries({ ...query, page: 1, ...changes })) if (value !== undefined && value !== "") params.set(name, String(value));
    return `?${params}`;
  };
  const pageLink = (page: number) => linkWith({ page, status: query.status });
  return (
    <div className="container stack">
      <FlashMessage flash={flash} />
      <h1>{t("queue.title")}</h1>
      <p className="muted">{t("queue.intro")}</p>
      {queue.counts.declined > 0 ? (
        <p className="alert alert--warning" data-testid="declined-notice">
          <Link to={linkWith({ status: "declined" })}>{t("queue.declinedNotice", { count: queue.counts.declined })}</Link>
        </p>
      ) : null}
      <nav aria-label={t("queue.counts")}>
        <ul className="cluster" data-testid="status-counts">
          {QUEUE_STATUSES.map((status) => (
            <li key={status}>
              <Link to={linkWith({ status })} aria-current={query.status === status ? "true" : undefined}>
                {t(`status.${status}`)}
              </Link>{" "}
              <span className="badge">{format.number(queue.counts[status])}</span>
            </li>
          ))}
        </ul>
      </nav>
      <Form method="get" className="card form" aria-label={t("queue.filters")}>
        <div className="cluster">
          <FilterSelect
            idPrefix="queue"
            name="status"
            label={t("queue.status")}
            anyLabel={t("queue.any")}
            value={query.status}
            options={QUEUE_STATUSES.map((status) => ({ value: status, label: t(`status.${status}`) }))}
          />
          <FilterSelect idPrefix="queue" name="country" label={t("queue.country")} anyLabel={t("queue.any")} value={query.country} options={countries} />
          <FilterSelect idPrefix="queue" name="subregion" label={t("queue.subregion")} anyLabel={t("queue.any")} value={query.subregion} options={subregions} />
          <FilterSelect idPrefix="queue" name="theme" label={t("queue.theme")} anyLabel={t("queue.any")} value={query.theme} options={themes} />
          <div className="field">
            <label htmlFor="queue-sort" className="field__label">{t("queue.sort")}</label>
            <select id="queue-sort" name="sort" defaultValue={query.sort}>
              <option value="score">{t("queue.sortScore")}</option>
              <option value="age">{t("queue.sortAge")}</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="queue-dir" className="field__label">{t("queue.direction")}</label>
            <select id="queue-dir" name="dir" defaultValue={query.dir}>
              <option value="desc">{t("queue.desc")}</option>
              <option value="asc">{t("queue.asc")}</option>
            </select>
          </div>
        </div>
        <div className="form-actions">
          <button type="submit" className="button button--secondary">{t("queue.apply")}</button>
        </div>
      </Form>
      <p className="results-count" data-testid="queue-total">{t("queue.total", { count: queue.total })}</p>
      {queue.rows.length === 0 ? (
        <p className="empty-state">{t("queue.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="pairing-queue">
            <thead>
              <tr>
                <th scope="col">{t("queue.score")}</th>
                <th scope="col">{t("queue.request")}</th>
                <th scope="col">{t("queue.offer")}</th>
                <th scope="col">{t("queue.status")}</th>
                <th scope="col">{t("queue.created")}</th>
                <th scope="col"><span className="visually-hidden">{t("queue.open")}</span></th>
              </tr>
            </thead>
            <tbody>
              {queue.rows.map((row) => (
                <tr key={row.id} data-testid="queue-row">
                  <td>
                    {row.score.toFixed(1)}
                    {row.recommended ? <span className="badge badge--primary"> {t("queue.recommended")}</span> : null}
                  </td>
                  <td>
                    {row.request.title}
                    <div className="muted">{row.request.organization.name} · {row.request.organization.countryName}</div>
                  </td>
                  <td>
                    {row.offer.title}
                    <div className="muted">{row.offer.organization.name} · {row.offer.organization.countryName}</div>
                  </td>
                  <td>
                    {t(`status.${row.status}`)}
                    {row.source === "manual" ? <div className="muted">{t("source.manual")}</div> : null}
                  </td>
                  <td>{format.date(row.createdAt)}</td>
                  <td className="stack">
                    <Link to={`/staff/pairings/${row.id}`} aria-label={`${t("queue.open")}: ${row.request.title} — ${row.offer.title}`}>
                      {t("queue.open")}
                    </Link>
                    {row.status === "declined" ? (
                      row.nextAlternateId ? (
                        <Link to={`/staff/pairings/${row.nextAlternateId}`}>{t("queue.suggestAlternate")}</Link>
                      ) : (
                        <Link to={`/staff/pairings/requests/${row.request.id}`}>{t("queue.noAlternate")}</Link>
                      )
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {queue.pageCount > 1 ? (
        <nav className="pagination cluster" aria-label={t("queue.page", { page: queue.page, pageCount: queue.pageCount })}>
          {queue.page > 1 ? <Link to={pageLink(queue.page - 1)}>{t("queue.previous")}</Link> : null}
          <span>{t("queue.page", { page: queue.page, pageCount: queue.pageCount })}</span>
          {queue.page < queue.pageCount ? <Link to={pageLink(queue.page + 1)}>{t("queue.next")}</Link> : null}
        </nav>
      ) : null}
    </div>
  );
}
