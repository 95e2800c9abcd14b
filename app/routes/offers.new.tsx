import { parseWithZod } from "@conform-to/zod/v4";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { redirectWithFlash } from "~/auth/flash.server";
import { requireUser } from "~/auth/guards.server";
import { OfferForm } from "~/components/catalogue/offer-form";
import { i18nServer } from "~/i18n/i18next.server";
import { createOffer } from "~/models/offer.server";
import { DEFAULT_CAPACITY_PER_YEAR, DEFAULT_COST_SHARING, offerFormSchema } from "~/schemas/offer";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} · Enlace` : "Enlace" }];

/** Offers belong to an organization: only its members create them (staff load catalogues by import). */
async function requireOrganizationUser(request: Request) {
  const user = await requireUser(request);
  if (!user.organizationId) throw new Response("Only members of an organization can post offers", { status: 403 });
  return { ...user, organizationId: user.organizationId };
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requireOrganizationUser(request);
  const [t, locale] = await Promise.all([i18nServer.getFixedT(request, "catalogue"), i18nServer.getLocale(request)]);
  return json({ title: t("offers.newTitle"), locale });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireOrganizationUser(request);
  const submission = parseWithZod(await request.formData(), { schema: offerFormSchema });
  if (submission.status !== "success") {
    return json({ result: submission.reply() }, { status: 400 });
  }
  const offer = await createOffer({ actor: user, organizationId: user.organizationId, data: submission.value });
  const t = await i18nServer.getFixedT(request, "catalogue");
  return redirectWithFlash(`/offers/${offer.id}`, t("flash.offerCreated"));
}

export default function NewOfferPage() {
  const { locale } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("catalogue");
  return (
    <div className="container stack">
      <header>
        <h1>{t("offers.newTitle")}</h1>
        <p className="muted page-header__lead">{t("offers.newLead")}</p>
      </header>
      <div className="card form-card">
        <OfferForm
          id="new-offer"
          lastResult={actionData?.result}
          defaultValue={{
            language: locale,
            workingLanguages: [locale],
            capacityPerYear: String(DEFAULT_CAPACITY_PER_YEAR),
            costSharing: DEFAULT_COST_SHARING,
          }}
          submitLabel={t("form.saveDraft")}
          cancelTo="/offers"
        />
      </div>
    </div>
  );
}
