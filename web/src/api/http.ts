// The one way the UI talks to the server: JSON in and out, the session cookie,
// If-Match versions for writes, and problem+json errors turned into an
// ApiError that pages can show (ElMessage) or map onto form fields.
import { ElMessage } from 'element-plus'
import { t, te, lang } from '@/i18n'

export interface FieldError {
  field: string
  key?: string
  message: string
  value?: unknown
}

export interface Problem {
  type?: string
  title?: string
  status: number
  detail?: string
  key?: string
  errors?: FieldError[]
  request_id?: string
}

export class ApiError extends Error {
  status: number
  problem: Problem
  constructor(problem: Problem) {
    super(problem.detail || problem.title || `HTTP ${problem.status}`)
    this.status = problem.status
    this.problem = problem
  }
  /** A stale write: someone else changed the record first. */
  get stale(): boolean {
    return this.status === 412 || (this.status === 409 && ['stale_version', 'conflict'].includes(this.problem.key ?? ''))
  }
  get fields(): FieldError[] {
    return this.problem.errors ?? []
  }
}

/** The user-facing text of a problem, in the current language. */
export function problemText(p: Problem): string {
  if (lang.value === 'en') {
    if (p.key === 'login.locked') {
      const m = /(\d{1,2}:\d{2})/.exec(p.detail ?? '')
      return t('errors.login.locked', { time: m ? m[1] : '…' })
    }
    const f = p.errors?.[0]
    if (f?.key && te(`errors.${f.key}`)) return t(`errors.${f.key}`)
    if (p.key && te(`errors.${p.key}`)) return t(`errors.${p.key}`)
    if (p.status === 403) return t('errors.forbidden')
    if (p.status === 404) return t('errors.notFound')
  }
  return p.detail || p.title || t('errors.server', { status: p.status })
}

/** The text for one field error, in the current language. */
export function fieldText(f: FieldError): string {
  if (lang.value === 'en' && f.key && te(`errors.${f.key}`)) return t(`errors.${f.key}`)
  return f.message
}

type Query = Record<string, string | number | boolean | null | undefined>

export interface RequestOptions {
  query?: Query
  body?: unknown
  /** The record version the caller last read, sent as If-Match. */
  version?: number
  /** Do not show an ElMessage on error (the caller shows it). */
  silent?: boolean
  signal?: AbortSignal
}

let unauthorizedHandler: (() => void) | null = null
let passwordChangeHandler: (() => void) | null = null

/** Called when any request (other than sign-in) gets 401. */
export function onUnauthorized(fn: () => void) {
  unauthorizedHandler = fn
}

/**
 * Called when a request is refused because the account must change its
 * password first (403, key password.change_required).
 */
export function onPasswordChangeRequired(fn: () => void) {
  passwordChangeHandler = fn
}

export function buildQuery(q?: Query): string {
  if (!q) return ''
  const sp = new URLSearchParams()
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === null || v === '' || v === false) continue
    sp.set(k, String(v))
  }
  const s = sp.toString()
  return s ? `?${s}` : ''
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' }
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json'
  if (opts.version !== undefined) headers['If-Match'] = `"${opts.version}"`
  headers['Accept-Language'] = lang.value
  let res: Response
  try {
    res = await fetch(`/api/v1${path}${buildQuery(opts.query)}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
      signal: opts.signal,
    })
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e
    const err = new ApiError({ status: 0, detail: t('errors.network') })
    if (!opts.silent) ElMessage.error(err.message)
    throw err
  }
  if (res.status === 204) return undefined as T
  const ct = res.headers.get('Content-Type') ?? ''
  const data = ct.includes('json') ? await res.json().catch(() => null) : null
  if (res.ok) return data as T
  const problem: Problem = data && typeof data === 'object' ? { ...data, status: res.status } : { status: res.status }
  const err = new ApiError(problem)
  if (res.status === 401 && path !== '/auth/login') {
    unauthorizedHandler?.()
    throw err
  }
  if (res.status === 403 && problem.key === 'password.change_required') {
    passwordChangeHandler?.()
    throw err
  }
  if (!opts.silent) ElMessage.error({ message: problemText(problem), grouping: true })
  throw err
}

export const http = {
  get: <T>(path: string, query?: Query, opts: RequestOptions = {}) => request<T>('GET', path, { ...opts, query }),
  post: <T>(path: string, body: unknown, opts: RequestOptions = {}) => request<T>('POST', path, { ...opts, body }),
  put: <T>(path: string, version: number, body: unknown, opts: RequestOptions = {}) =>
    request<T>('PUT', path, { ...opts, version, body }),
  del: (path: string, version: number, opts: RequestOptions = {}) => request<void>('DELETE', path, { ...opts, version }),
  /** DELETE of something without a version (e.g. an API token). */
  remove: (path: string, opts: RequestOptions = {}) => request<void>('DELETE', path, opts),
}
