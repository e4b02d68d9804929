// Maps an API's field errors onto a form's fields (el-form-item :error).
import { reactive } from 'vue'
import { ElMessage } from 'element-plus'
import { ApiError, fieldText, problemText } from '@/api'
import { t } from '@/i18n'

export function useFieldErrors() {
  const errors = reactive<Record<string, string>>({})
  function clear() {
    for (const k of Object.keys(errors)) delete errors[k]
  }
  /**
   * Shows an error from a save: field errors next to their fields, the
   * problem's detail as a message. Returns true when the record was stale
   * (the caller reloads it).
   */
  function show(e: unknown, known: string[] = []): boolean {
    clear()
    if (!(e instanceof ApiError)) {
      ElMessage.error(String(e))
      return false
    }
    if (e.stale) {
      ElMessage.warning({ message: t('common.stale'), duration: 5000 })
      return true
    }
    if (e.status === 0 || e.status === 401) return false // already shown / redirected
    for (const f of e.fields) {
      const field = f.field.replace(/^body\./, '').replace(/\[\d+\]$/, '')
      if (known.length === 0 || known.includes(field)) {
        errors[field] = errors[field] ? `${errors[field]}；${fieldText(f)}` : fieldText(f)
      }
    }
    // The summary too, so that an error on a field the form lacks is not lost.
    ElMessage.error({ message: problemText(e.problem), grouping: true })
    return false
  }
  return { errors, clear, show }
}
