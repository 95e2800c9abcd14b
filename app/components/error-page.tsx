import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

export function ErrorPage({ status }: { status: number }) {
  const { t } = useTranslation();
  const [title, body] =
    status === 404
      ? [t("errors.notFoundTitle"), t("errors.notFoundBody")]
      : status === 403
        ? [t("errors.forbiddenTitle"), t("errors.forbiddenBody")]
        : status === 503
          ? [t("errors.busyTitle"), t("errors.busyBody")]
          : [t("errors.genericTitle"), t("errors.genericBody")];
  return (
    <section className="error-page container">
      <p className="error-page__status">{status}</p>
      <h1>{title}</h1>
      <p>{body}</p>
      <p>
        <Link to="/">{t("errors.backHome")}</Link>
      </p>
    </section>
  );
}
