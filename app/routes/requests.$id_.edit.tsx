import { parseWithZod } from "@conform-to/zod/v4";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { redirectWithFlash } from "~/auth/flash.server";
import { requireUser } from "~/auth/guards.server";
import type { SessionUser } from "~/auth/session.server";
import { LanguageTag } from "~/components/catalogue/badges";
import { RequestForm } from "~/components/catalogue/request-form";
import { i18nServer } from "~/i18n/i18next.server";
import { decideEdit } from "~/models/offer-rules";
import { getRequest, updateRequest } from "~/models/request.server";
import { recordIdSchema } from "~/schemas/offer";
import { requestFormSchema } from "~/schemas/request";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} · Enlace` : "Enlace" }];

/** The request, when this user may edit it; otherwise the 404 or 403 the request deserves. */
async function requireEditableRequest(request: Request, user: SessionUser, idParam: string | undefined) {
  const id = recordIdSchema.safeParse(idParam);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const record = await getRequest({ id: id.data, viewer: user, locale: await i18nServer.getLocale(request) });
  if (!record) throw new Response("Not found", { status: 404 });
  const decision = decideEdit(user, record);
  if (decision === "not-owner") throw new Response("Forbidden", { status: 403 });
  if (decision === "pending") throw new Response("Your account awaits verification: only drafts can be edited", { status: 403 });
  return record;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const record = await requireEditableRequest(request, user, params.id);
  const t = await i18nServer.getFixedT(request, "catalogue");
  return json({
    title: t("requests.editTitle"),
    request: { id: record.id, title: record.title, language: record.language },
    defaultValue: {
      title: record.title,
      summary: record.summary,
      description: record.description ?? "",
      language: record.language,
      themes: record.themes,
      modalities: record.modalities,
      workingLanguages: record.workingLanguages,
      desiredStart: record.desiredStart ?? "",
      desiredEnd: record.desiredEnd ?? "",
    },
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const record = await requireEditableRequest(request, user, params.id);
  const submission = parseWithZod(await request.formData(), { schema: requestFormSchema });
  if (submission.status !== "success") {
    return json({ result: submission.reply() }, { status: 400 });
  }
  const saved = await updateRequest({ id: record.id, actor: user, data: submission.value });
  if (!saved) throw new Response("Not found", { status: 404 });
  const t = await i18nServer.getFixedT(request, "catalogue");
  return redirectWithFlash(`/requests/${record.id}`, t("flash.saved"));
}

export default function EditRequestPage() {
  const { request, defaultValue } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("catalogue");
  return (
    <div className="container stack">
      <header>
        <h1>{t("requests.editTitle")}</h1>
        <p className="record-header__meta">
          <span lang={request.language}>{request.title}</span> <LanguageTag language={request.language} />
        </p>
      </header>
      <div className="card form-card">
        <RequestForm
          id={`edit-request-${request.id}`}
          lastResult={actionData?.result}
          defaultValue={defaultValue}
          submitLabel={t("form.save")}
          cancelTo={`/requests/${request.id}`}
        />
      </div>
    </div>
  );
}
