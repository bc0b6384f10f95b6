export type FieldErrors = Record<string, string>

export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly fields: FieldErrors

  constructor(status: number, code: string, message: string, fields: FieldErrors = {}) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.fields = fields
  }
}

// Used when the server (or a proxy in front of it) answers without the
// agreed error body, so the UI still has something human to show.
function fallbackMessage(status: number): string {
  if (status === 401) return 'not signed in'
  if (status === 429) return 'too many attempts'
  if (status >= 500) return 'the server had a problem, please try again'
  return 'request failed'
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function stringFields(value: unknown): FieldErrors {
  if (!isRecord(value)) return {}
  const fields: FieldErrors = {}
  for (const [key, message] of Object.entries(value)) {
    if (typeof message === 'string') fields[key] = message
  }
  return fields
}

// The body comes from the network, so it is checked rather than trusted.
export function toApiError(status: number, body: unknown): ApiError {
  const error = isRecord(body) ? body.error : undefined
  if (!isRecord(error)) {
    return new ApiError(status, `http_${status}`, fallbackMessage(status))
  }
  const code = typeof error.code === 'string' ? error.code : `http_${status}`
  const message =
    typeof error.message === 'string' && error.message !== ''
      ? error.message
      : fallbackMessage(status)
  return new ApiError(status, code, message, stringFields(error.fields))
}

export function networkError(): ApiError {
  return new ApiError(0, 'network_error', 'could not reach the server')
}

export interface FormErrors<K extends string> {
  fields: Partial<Record<K, string>>
  message: string | null
}

// The server names a list item or nested value by its path ("tags[2]",
// "headers.X-Token"); the form shows it on the input holding the whole value.
function nestedMessage(fields: FieldErrors, key: string): string | undefined {
  for (const [name, message] of Object.entries(fields)) {
    if (name.startsWith(`${key}[`) || name.startsWith(`${key}.`)) return message
  }
  return undefined
}

// Splits a server error between the inputs a form actually has and a
// form-level message; the message is only shown when no input can carry it,
// otherwise users would see a vague "validation failed" above precise hints.
export function formErrorsFrom<K extends string>(
  error: unknown,
  known: readonly K[],
): FormErrors<K> {
  if (!(error instanceof ApiError)) {
    return { fields: {}, message: error instanceof Error ? error.message : 'something went wrong' }
  }
  const fields: Partial<Record<K, string>> = {}
  for (const key of known) {
    const message = error.fields[key] ?? nestedMessage(error.fields, key)
    if (message !== undefined) fields[key] = message
  }
  const hasFieldError = Object.keys(fields).length > 0
  return { fields, message: hasFieldError ? null : error.message }
}
