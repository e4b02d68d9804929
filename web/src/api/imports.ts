// Spreadsheet imports (导入): templates to download, and uploads that are
// first checked (dry run: what would be created, updated, unchanged, and every
// problem by sheet, row and column) and then committed all or nothing.
import { ApiError, problemText } from './http'
import type { Problem } from './http'
import { ElMessage } from 'element-plus'
import { lang, t } from '@/i18n'

/** One located problem of an uploaded sheet. */
export interface ImportProblem {
  sheet: string
  row: number
  column: string
  value: string
  message: string
}

export interface ImportResult {
  dry_run: boolean
  created: number
  updated: number
  unchanged: number
  problems: ImportProblem[]
}

/** The kinds with a template and an import route of their own. */
export type ImportKind = 'units' | 'persons' | 'items' | 'milestones' | 'targets' | 'enterprises' | 'visits' | 'leads' | 'cases'

type Query = Record<string, string | number | undefined>

function qs(q: Query): string {
  const sp = new URLSearchParams()
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '' && v !== 0) sp.set(k, String(v))
  const s = sp.toString()
  return s ? `?${s}` : ''
}

/** The address of a kind's .xlsx template (a plain link downloads it). */
export function templateUrl(kind: ImportKind, campaignId?: number): string {
  return `/api/v1/templates/${kind}.xlsx${qs({ campaign_id: campaignId })}`
}

export const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/** The media type an upload is sent as: .csv files as CSV, all else as .xlsx. */
export function uploadType(file: File): string {
  return /\.csv$/i.test(file.name) ? 'text/csv' : xlsxType
}

/**
 * Uploads file to path (e.g. /items/import) for a dry run or a commit. A
 * commit refused for problems in the file is a 422 whose problem lists them:
 * it is answered as a result with those problems, not thrown.
 */
export async function upload(path: string, file: File, dryRun: boolean, query: Query = {}): Promise<ImportResult> {
  let res: Response
  try {
    res = await fetch(`/api/v1${path}${qs({ ...query, dry_run: dryRun ? 'true' : 'false' })}`, {
      method: 'POST',
      headers: { 'Content-Type': uploadType(file), Accept: 'application/json, application/problem+json', 'Accept-Language': lang.value },
      credentials: 'same-origin',
      body: file,
    })
  } catch {
    const err = new ApiError({ status: 0, detail: t('errors.network') })
    ElMessage.error(err.message)
    throw err
  }
  const data = (res.headers.get('Content-Type') ?? '').includes('json') ? await res.json().catch(() => null) : null
  if (res.ok) {
    const r = data as ImportResult
    return { ...r, problems: r.problems ?? [] }
  }
  const problem = (data && typeof data === 'object' ? { ...data, status: res.status } : { status: res.status }) as Problem & {
    problems?: ImportProblem[]
  }
  if (problem.problems?.length) {
    return { dry_run: dryRun, created: 0, updated: 0, unchanged: 0, problems: problem.problems }
  }
  const err = new ApiError(problem)
  ElMessage.error({ message: problemText(problem), grouping: true })
  throw err
}
