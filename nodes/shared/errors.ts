// Errors handed to done(err) (and so to Catch nodes), admin answers and statuses: the server's text
// is kept, secrets are not (the client redacts already; this is the second layer for anything
// composed outside it), and the machine-readable code and HTTP status survive for Catch flows.

export interface NodeError extends Error {
  code?: string;
  status?: number;
}

/** A fresh Error carrying the redacted message, name, `code` and `status` of any thrown value. */
export function toNodeError(err: unknown, redact: (text: string) => string): NodeError {
  const source = err instanceof Error ? err : null;
  const out: NodeError = new Error(redact(source ? source.message : String(err)));
  if (source) {
    out.name = source.name;
    const { code, status } = source as NodeError;
    if (typeof code === 'string') out.code = code;
    if (typeof status === 'number') out.status = status;
  }
  return out;
}

/** A short reason for a node status (statuses are one line under the node). */
export function shortReason(text: string, max = 60): string {
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}

/**
 * An error whose message is an i18n key of a node's catalog, with its substitutions: the node translates it
 * for done(err) and its status. Subclasses name where it came from (SettingsError, CommandError).
 */
export class CatalogError extends Error {
  constructor(
    readonly key: string,
    readonly substitutions: Record<string, unknown> = {},
  ) {
    super(key);
    this.name = new.target.name;
  }
}
