/**
 * The template editor's live preview: follows the form's subject and body fields as staff type and renders
 * them with sample data (the same rules as the dispatcher), with the SMS length in GSM-7/UCS-2 segments.
 * Without JavaScript the server renders the same preview when the form's Preview button is pressed.
 */
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { formatNumber } from "../lib/i18n/format.ts";
import { previewTemplate } from "../lib/notifications/preview.ts";

export interface TemplatePreviewProps extends Record<string, unknown> {
  /** The template's language (what is rendered) and the page's (digits of the counts). */
  locale: "fa" | "en";
  pageLocale: "fa" | "en";
  channel: string;
  variables: string[];
  subject: string;
  body: string;
  labels: { preview: string; smsLength: string; unknown: string };
}

export function TemplatePreview(props: TemplatePreviewProps) {
  const text = useSignal({ subject: props.subject, body: props.body });
  useEffect(() => {
    const subject = document.getElementById("field-subject") as HTMLInputElement | null;
    const body = document.getElementById("field-body") as HTMLTextAreaElement | null;
    const update = () => text.value = { subject: subject?.value ?? "", body: body?.value ?? "" };
    subject?.addEventListener("input", update);
    body?.addEventListener("input", update);
    return () => {
      subject?.removeEventListener("input", update);
      body?.removeEventListener("input", update);
    };
  }, []);
  const preview = previewTemplate(text.value, props.variables, props.channel, props.locale);
  const n = (value: number) => formatNumber(value, props.pageLocale);
  return (
    <section class="card" aria-live="polite" id="template-preview">
      <h2>{props.labels.preview}</h2>
      {preview.subject && (
        <p class="template-subject" lang={props.locale}>
          <strong>{preview.subject}</strong>
        </p>
      )}
      <div class="template-preview" lang={props.locale} dir={props.locale === "fa" ? "rtl" : "ltr"}>
        {preview.body}
      </div>
      {preview.sms && (
        <p class="sms-length" id="sms-length" data-segments={String(preview.sms.segments)}>
          {props.labels.smsLength.replace("{encoding}", preview.sms.encoding).replace(
            "{units}",
            n(preview.sms.units),
          ).replace("{segments}", n(preview.sms.segments)).replace("{perSegment}", n(preview.sms.perSegment))}
        </p>
      )}
      {preview.unknown.length > 0 && (
        <p class="error-text" role="alert">
          {props.labels.unknown.replace("{names}", preview.unknown.join(", "))}
        </p>
      )}
    </section>
  );
}
