// Site photos of a report (现场照片): upload as a multipart form, list by item
// and period, remove while the report is a draft. Each photo is served at its
// url (GET /api/v1/report-photos/{id}) as the image itself.
import { ElMessage } from 'element-plus'
import { ApiError, http, problemText } from './http'
import type { Problem } from './http'
import type { Report } from './progress'
import { t } from '@/i18n'

export interface ReportPhoto {
  id: number
  file_name: string
  content_type: string
  size: number
  sha256: string
  caption: string
  /** When the camera took it (EXIF), if it says. */
  captured_at: string | null
  lat: number | null
  lon: number | null
  /** The image itself, e.g. /api/v1/report-photos/12 */
  url: string
  uploaded_by: string
  created_at: string
}

/** Photo limits, as the server enforces them. */
export const photoLimits = { types: 'image/jpeg,image/png,image/webp', maxBytes: 10 << 20, perReport: 20 }

/** The photos a report (or one of its revisions) lists. */
export function photosOf(r: Report | null | undefined): ReportPhoto[] {
  return (r as (Report & { photos?: ReportPhoto[] }) | null | undefined)?.photos ?? []
}

export const photosApi = {
  list: (itemId: number, period: string) =>
    http.get<{ items: ReportPhoto[]; total: number }>(`/items/${itemId}/reports/${encodeURIComponent(period)}/photos`),
  /** Uploads one photo; errors are shown (naming the file) and thrown as ApiError. */
  async upload(itemId: number, period: string, file: File, caption: string): Promise<ReportPhoto> {
    const form = new FormData()
    form.append('file', file, file.name)
    if (caption.trim()) form.append('caption', caption.trim())
    let res: Response
    try {
      res = await fetch(`/api/v1/items/${itemId}/reports/${encodeURIComponent(period)}/photos`, {
        method: 'POST', body: form, credentials: 'same-origin', headers: { Accept: 'application/json, application/problem+json' },
      })
    } catch {
      const err = new ApiError({ status: 0, detail: t('errors.network') })
      ElMessage.error(err.message)
      throw err
    }
    const data = await res.json().catch(() => null)
    if (res.ok) return data as ReportPhoto
    const problem: Problem = data && typeof data === 'object' ? { ...data, status: res.status } : { status: res.status }
    if (res.status === 413) problem.detail = t('photos.tooLarge', { name: file.name })
    const err = new ApiError(problem)
    ElMessage.error({ message: problem.errors?.[0]?.message ?? problemText(problem), grouping: true })
    throw err
  },
  remove: (id: number) => http.remove(`/report-photos/${id}`),
}
