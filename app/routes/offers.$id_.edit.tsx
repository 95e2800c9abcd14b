import { parseWithZod } from "@conform-to/zod/v4";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { redirectWithFlash } from "~/auth/flash.server";
import { requireUser } from "~/auth/guards.server";
import type { SessionUser } from "~/auth/session.server";
import { LanguageTag } from "~/components/catalogue/badges";
import { OfferForm } from "~/components/catalogue/offer-form";
import { i18nServer } from "~/i18n/i18next.server";
import { decideEdit } from "~/models/offer-rules";
import { getOffer, updateOffer } from "~/models/offer.server";
import { offerFormSchema, recordIdSchema } from "~/schemas/offer";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} · Enlace` : "Enlace" }];

/** The offer, when this user may edit it; otherwise the 404 or 403 the request deserves. */
async function requireEditableOffer(request: Request, user: SessionUser, idParam: string | undefined) {
  const id = recordIdSchema.safeParse(idParam);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const offer = await getOffer({ id: id.data, viewer: user, locale: await i18nServer.getLocale(request) });
  if (!offer) throw new Response("Not found", { status: 404 });
  const decision = decideEdit(user, offer);
  if (decision === "not-owner") throw new Response("Forbidden", { status: 403 });
  if (decision === "pending") throw new Response("Your account awaits verification: only drafts can be edited", { status: 403 });
  return offer;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const offer = await requireEditableOffer(request, user, params.id);
  const t = await i18nServer.getFixedT(request, "catalogue");
  return json({
    title: t("offers.editTitle"),
    offer: { id: offer.id, title: offer.title, language: offer.language },
    defaultValue: {
      title: offer.title,
      summary: offer.summary,
      description: offer.description ?? "",
      language: offer.language,
      themes: offer.themes,
      modalities: offer.modalities,
      workingLanguages: offer.workingLanguages,
      targetPopulation: offer.targetPopulation ?? "",
      evidence: offer.evidence ?? "",
      capacityPerYear: String(offer.capacityPerYear),
      costSharing: offer.costSharing,
    },
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const offer = await requireEditableOffer(request, user, params.id);
  const submission = parseWithZod(await request.formData(), { schema: offerFormSchema });
  if (submission.status !== "success") {
    return json({ result: submission.reply() }, { status: 400 });
  }
  const saved = await updateOffer({ id: offer.id, actor: user, data: submission.value });
  if (!saved) throw new Response("Not found", { status: 404 });
  const t = await i18nServer.getFixedT(request, "catalogue");
  return redirectWithFlash(`/offers/${offer.id}`, t("flash.saved"));
}

export default function EditOfferPage() {
  const { offer, defaultValue } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("catalogue");
  return (
    <div className="container stack">
      <header>
        <h1>{t("offers.editTitle")}</h1>
        <p className="record-header__meta">
          <span lang={offer.language}>{offer.title}</span> <LanguageTag language={offer.language} />
        </p>
      </header>
      <div className="card form-card">
        <OfferForm
          id={`edit-offer-${offer.id}`}
          lastResult={actionData?.result}
          defaultValue={defaultValue}
          submitLabel={t("form.save")}
          cancelTo={`/offers/${offer.id}`}
        />
      </div>
    </div>
  );
}
