import { Form, Link, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";

type Intent = "publish" | "unpublish" | "archive" | "close" | "confirm-current";

const BUTTON_CLASS: Record<Intent, string> = {
  publish: "button button--primary",
  "confirm-current": "button button--primary",
  unpublish: "button button--secondary",
  archive: "button button--ghost",
  close: "button button--ghost",
};

/**
 * The owner's buttons for a record: edit, and one POST per status change (`intent`), so
 * every action works without JavaScript.
 */
export function StatusActions({
  kind,
  id,
  status,
  intents,
  canEdit,
  redirectTo,
}: {
  kind: "offer" | "request";
  id: string;
  status: string;
  intents: readonly Intent[];
  canEdit: boolean;
  redirectTo?: string;
}) {
  const { t } = useTranslation("catalogue");
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  const base = kind === "offer" ? "/offers" : "/requests";
  const reopening = status === "archived" || status === "closed";
  return (
    <div className="status-actions" data-testid="status-actions">
      {canEdit ? (
        <Link to={`${base}/${id}/edit`} className="button button--secondary">
          {t("actions.edit")}
        </Link>
      ) : null}
      {intents.length > 0 ? (
        <Form method="post" action={`${base}/${id}`} className="status-actions__form">
          {redirectTo ? <input type="hidden" name="redirectTo" value={redirectTo} /> : null}
          {intents.map((intent) => (
            <button key={intent} type="submit" name="intent" value={intent} className={BUTTON_CLASS[intent]} disabled={busy}>
              {intent === "publish" && reopening ? t("actions.reopen") : t(`actions.${intent}`)}
            </button>
          ))}
        </Form>
      ) : null}
    </div>
  );
}

/** One click from a stale list: confirms the record is still current and comes back here. */
export function ConfirmCurrentButton({
  kind,
  id,
  title,
  redirectTo,
}: {
  kind: "offer" | "request";
  id: string;
  /** Names the record for screen readers, where a list holds several identical buttons. */
  title: string;
  redirectTo: string;
}) {
  const { t } = useTranslation("catalogue");
  return (
    <Form method="post" action={`${kind === "offer" ? "/offers" : "/requests"}/${id}`}>
      <input type="hidden" name="redirectTo" value={redirectTo} />
      <button type="submit" name="intent" value="confirm-current" className="button button--primary button--small">
        {t("stale.confirm")}
        <span className="visually-hidden">: {title}</span>
      </button>
    </Form>
  );
}
