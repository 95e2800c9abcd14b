type FlashProps = { flash: { type: "success" | "info" | "warning" | "error"; text: string } | null | undefined };

const ALERT_CLASS = {
  success: "alert alert--success",
  info: "alert",
  warning: "alert alert--warning",
  error: "alert alert--danger",
} as const;

/** The one-time message left by the previous action (see app/auth/flash.server.ts). */
export function FlashMessage({ flash }: FlashProps) {
  if (!flash) return null;
  return (
    <div className={ALERT_CLASS[flash.type]} role={flash.type === "error" ? "alert" : "status"} data-testid="flash">
      {flash.text}
    </div>
  );
}
