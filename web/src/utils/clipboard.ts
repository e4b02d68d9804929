// Copies a one-time secret (a generated password, an API token). The
// Clipboard API needs a secure context, which an intranet server over plain
// http is not; the fallback copies from a hidden text field.
import { ElMessage } from 'element-plus'
import { t } from '@/i18n'

function fallbackCopy(text: string): boolean {
  const ta = document.createElement('textarea')
  ta.value = text
  ta.setAttribute('readonly', '')
  ta.style.position = 'fixed'
  ta.style.top = '-1000px'
  ta.style.opacity = '0'
  document.body.appendChild(ta)
  ta.select()
  let ok = false
  try {
    ok = document.execCommand('copy')
  } catch {
    ok = false
  }
  document.body.removeChild(ta)
  return ok
}

/** Copies text and says whether it worked; on failure the user copies by hand. */
export async function copyText(text: string): Promise<boolean> {
  let ok = false
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text)
      ok = true
    } catch {
      ok = false
    }
  }
  if (!ok) ok = fallbackCopy(text)
  if (ok) ElMessage.success(t('common.copied'))
  else ElMessage.warning(t('common.copyFailed'))
  return ok
}
