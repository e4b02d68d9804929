// Signing in: the API's message is shown, and so is the lock-out.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, assertClean, launch, open, shot } from './helpers.mjs'

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

async function attempt(page, username, password) {
  await page.locator('input[data-test=username]').fill(username)
  await page.locator('input[data-test=password]').fill(password)
  await page.locator('[data-test=login-submit]').click()
  const err = page.locator('[data-test=login-error]')
  await err.waitFor()
  return (await err.innerText()).trim()
}

test('a wrong password shows the API’s message; repeated failures show the lock-out', async () => {
  const { context, page, seen } = await open(browser)
  try {
    await page.goto(`${BASE}/login`)
    await page.locator('[data-test=login-submit]').waitFor()
    await shot(page, 'login')
    assert.match(await attempt(page, 'viewer', 'wrong-password'), /用户名或密码错误/)
    // tongjiju is used by no other journey: lock it.
    let msg = ''
    for (let i = 0; i < 7 && !/锁定/.test(msg); i++) {
      await page.locator('[data-test=login-error]').waitFor()
      msg = await attempt(page, 'tongjiju', `wrong-${i}`)
      await page.waitForTimeout(150)
    }
    assert.match(msg, /账号已锁定至 \d{1,2}:\d{2}/)
    await shot(page, 'login-locked')
    // Even the right password is refused while locked.
    assert.match(await attempt(page, 'tongjiju', 'Gongjian@2022'), /锁定/)
    await assertClean(assert, seen, { allowHttp: true })
    assert.ok(seen.httpErrors.every((e) => / 401 /.test(e)), seen.httpErrors.join('\n'))
  } finally {
    await context.close()
  }
})

test('an unsigned visit to a page goes to sign-in and back after it', async () => {
  const { context, page } = await open(browser)
  try {
    await page.goto(`${BASE}/items?type=reform_task`)
    await page.waitForURL(/\/login\?redirect=/)
    await page.locator('input[data-test=username]').fill('viewer')
    await page.locator('input[data-test=password]').fill('Gongjian@2022')
    await page.locator('[data-test=login-submit]').click()
    await page.waitForURL(/\/items\?type=reform_task/)
    await page.locator('[data-test=item-total]').getByText('15', { exact: true }).waitFor()
  } finally {
    await context.close()
  }
})
