import { parseWithZod } from "@conform-to/zod/v4";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { redirectWithFlash } from "~/auth/flash.server";
import { requireUser } from "~/auth/guards.server";
import { RequestForm, type RequestFormDefaults } from "~/components/catalogue/request-form";
import { i18nServer } from "~/i18n/i18next.server";
import { replicationTitle } from "~/models/offer-rules";
import { getOffer } from "~/models/offer.server";
import { createRequest } from "~/models/request.server";
import { recordIdSchema } from "~/schemas/offer";
import { requestFormSchema } from "~/schemas/request";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} · Enlace` : "Enlace" }];

async function requireOrganizationUser(request: Request) {
  const user = await requireUser(request);
  if (!user.organizationId) throw new Response("Only members of an organization can post requests", { status: 403 });
  return { ...user, organizationId: user.organizationId };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireOrganizationUser(request);
  const [t, locale] = await Promise.all([i18nServer.getFixedT(request, "catalogue"), i18nServer.getLocale(request)]);
  let defaultValue: RequestFormDefaults = { language: locale, workingLanguages: [locale] };
  let fromOffer: { id: string; title: string; language: string } | null = null;
  // "Request this program": start from the offer's themes, ways of transfer and languages.
  const fromOfferId = recordIdSchema.safeParse(new URL(request.url).searchParams.get("fromOffer"));
  if (fromOfferId.success) {
    const offer = await getOffer({ id: fromOfferId.data, viewer: user, locale });
    if (offer) {
      fromOffer = { id: offer.id, title: offer.title, language: offer.language };
      defaultValue = {
        title: replicationTitle(offer),
        language: offer.language,
        themes: offer.themes,
        modalities: offer.modalities,
        workingLanguages: offer.workingLanguages,
      };
    }
  }
  return json({ title: t("requests.newTitle"), defaultValue, fromOffer });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireOrganizationUser(request);
  const submission = parseWithZod(await request.formData(), { schema: requestFormSchema });
  if (submission.status !== "success") {
    return json({ result: submission.reply() }, { status: 400 });
  }
  const created = await createRequest({ actor: user, organizationId: user.organizationId, data: submission.value });
  const t = await i18nServer.getFixedT(request, "catalogue");
  return redirectWithFlash(`/requests/${created.id}`, t("flash.requestCreated"));
}

export default function NewRequestPage() {
  const { defaultValue, fromOffer } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("catalogue");
  return (
    <div className="container stack">
      <header>
        <h1>{t("requests.newTitle")}</h1>
        <p className="muted page-header__lead">{t("requests.newLead")}</p>
      </header>
      {fromOffer ? (
        <p className="alert" data-testid="from-offer">
          {t("requests.fromOfferIntro")}{" "}
          <Link to={`/offers/${fromOffer.id}`} lang={fromOffer.language}>
            {fromOffer.title}
          </Link>
          . {t("requests.fromOfferHint")}
        </p>
      ) : null}
      <div className="card form-card">
        <RequestForm
          id="new-request"
          lastResult={actionData?.result}
          defaultValue={defaultValue}
          submitLabel={t("form.saveDraft")}
          cancelTo={fromOffer ? `/offers/${fromOffer.id}` : "/requests"}
        />
      </div>
    </div>
  );
}
