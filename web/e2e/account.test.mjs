// Accounts: a new user's first sign-in with a generated password, an
// administrator's edits, and a supervisor's API token.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, assertClean, launch, open, shot, signInAt } from './helpers.mjs'

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

/** Picks an option of an Element Plus select by its text. */
async function choose(page, select, text) {
  await page.locator(select).click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click()
}

describe('administrator and a new user', () => {
  test('admin creates a user; the user signs in with the generated password, must change it first, then lands on the cockpit', async () => {
    const { context, page, seen } = await open(browser)
    const user = `e2e${Date.now()}`
    let generated
    try {
      await signInAt(page, 'admin', '/users')
      await page.locator('[data-test=user-table] .el-table__body tr').first().waitFor()

      // Self-demotion is refused by the API, and the form says so next to 角色.
      await page.locator('[data-test=user-edit-admin]').click()
      const dialog = page.locator('[data-test=user-dialog]')
      await choose(page, '[data-test=u-role]', '只读用户')
      await dialog.locator('[data-test=u-save]').click()
      const roleErr = dialog.locator('[data-test=u-role-item] .el-form-item__error')
      await roleErr.waitFor()
      assert.match(await roleErr.innerText(), /不能修改自己的角色/)
      await dialog.getByRole('button', { name: '取消' }).click()

      await page.locator('[data-test=user-create]').click()
      await page.locator('input[data-test=u-username]').fill(user)
      await choose(page, '[data-test=u-unit]', '区住建局')
      await page.locator('[data-test=u-save]').click()
      const pw = page.locator('[data-test=generated-password]')
      await pw.waitFor()
      generated = (await pw.innerText()).trim()
      assert.ok(generated.length >= 10, generated)
      assert.match(await page.locator('[data-test=password-once]').innerText(), /只显示这一次/)
      await page.locator('[data-test=password-once-close]').click()
      const row = page.locator('[data-test=user-table] .el-table__body tr', { hasText: user })
      await row.waitFor()
      assert.match(await row.innerText(), /须修改密码/)
      await assertClean(assert, seen, { allowHttp: true })
      assert.ok(seen.httpErrors.every((e) => / 422 /.test(e)), seen.httpErrors.join('\n'))
    } finally {
      await context.close()
    }

    // The new user, in a browser of their own.
    const fresh = await open(browser)
    try {
      const p = fresh.page
      await p.goto(`${BASE}/login`)
      await p.locator('input[data-test=username]').fill(user)
      await p.locator('input[data-test=password]').fill(generated)
      await p.locator('[data-test=login-submit]').click()
      await p.waitForURL(/\/account\/password/)
      const forced = p.locator('[data-test=password-forced]')
      await forced.waitFor()
      assert.match(await forced.innerText(), /请先修改密码/)
      assert.equal(await p.locator('[data-test=side-menu]').count(), 0, 'no menu until the password is changed')
      await shot(p, 'password-forced')
      // The page cannot be left: the brand link (to the cockpit) leads back to it.
      await p.locator('[data-test=brand]').click()
      await p.waitForTimeout(300)
      assert.match(new URL(p.url()).pathname, /^\/account\/password$/)

      const newPassword = 'Zhujian-2022-e2e'
      // A wrong current password is named next to its field.
      await p.locator('[data-test=pw-old] input').fill('Wrong-password-1')
      await p.locator('[data-test=pw-new] input').fill(newPassword)
      await p.locator('[data-test=pw-confirm] input').fill(newPassword)
      await p.locator('[data-test=pw-submit]').click()
      const oldErr = p.locator('[data-test=pw-old] .el-form-item__error')
      await oldErr.waitFor()
      assert.match(await oldErr.innerText(), /原密码不正确/)

      await p.locator('[data-test=pw-old] input').fill(generated)
      await p.locator('[data-test=pw-submit]').click()
      await p.waitForURL((u) => u.pathname === '/')
      await p.locator('[data-test=side-menu]').waitFor()
      await p.locator('[data-test=fig-key-projects] .n').waitFor()
      assert.match(await p.locator('[data-test=fig-key-projects]').innerText(), /重点项目\s*\d+\s*个/)
      await p.locator('[data-test=overdue-table]').waitFor()

      // 退出所有设备 from the user menu ends this session too.
      await p.locator('[data-test=user-menu]').click()
      await p.locator('[data-test=sign-out-all]').click()
      await p.locator('.el-message-box').getByRole('button', { name: '退出所有设备' }).click()
      await p.waitForURL(/\/login/)
      await p.locator('[data-test=signed-out-all]').waitFor()
      const me = await p.evaluate(() => fetch('/api/v1/auth/me').then((r) => r.status))
      assert.equal(me, 401)
      await assertClean(assert, fresh.seen, { allowHttp: true })
      assert.ok(fresh.seen.httpErrors.every((e) => / (401|422) /.test(e)), fresh.seen.httpErrors.join('\n'))
    } finally {
      await fresh.context.close()
    }
  })
})

describe('supervisor', () => {
  test('creates an API token, sees its secret once, and revokes it', async () => {
    const { context, page, seen } = await open(browser)
    try {
      await signInAt(page, 'duchashi', '/campaigns')
      await page.locator('[data-test=user-menu]').click()
      await page.locator('[data-test=menu-tokens]').click()
      await page.waitForURL(/\/account\/tokens/)
      await page.locator('[data-test=token-table]').waitFor()

      const name = `e2e 数据对接 ${Date.now()}`
      await page.locator('[data-test=token-create]').click()
      const dialog = page.locator('[data-test=token-dialog]')
      await dialog.locator('[data-test=token-name] input').fill(name)
      // Read permissions are ticked to begin with; edit permissions are offered, user management is not.
      assert.ok(await dialog.locator('[data-test="scope-item:read"] input').isChecked())
      assert.ok(!(await dialog.locator('[data-test="scope-item:edit"] input').isChecked()))
      assert.equal(await dialog.locator('[data-test="scope-user:manage"]').count(), 0)
      await dialog.locator('[data-test=token-save]').click()

      const secretDialog = page.locator('[data-test=token-secret-dialog]')
      await secretDialog.waitFor()
      const secret = (await secretDialog.locator('[data-test=token-secret]').innerText()).trim()
      assert.match(secret, /^gjt_[A-Za-z0-9_-]{20,}$/)
      assert.match(await secretDialog.innerText(), /只显示这一次/)
      await secretDialog.locator('[data-test=token-secret-copy]').waitFor()
      await shot(page, 'token-secret')

      // The secret works as a bearer token (without the session cookie).
      const call = (s) => page.evaluate((s) => fetch('/api/v1/items?page_size=1', { credentials: 'omit', headers: { Authorization: `Bearer ${s}` } }).then((r) => r.status), s)
      assert.equal(await call(secret), 200)

      await secretDialog.locator('[data-test=token-secret-done]').click()
      await secretDialog.waitFor({ state: 'hidden' })
      const row = page.locator('[data-test=token-table] .el-table__body tr', { hasText: name })
      await row.waitFor()
      assert.match(await row.innerText(), /有效/)
      assert.match(await row.innerText(), /查看事项/)
      // Shown once: the secret is nowhere on the page any more.
      assert.ok(!(await page.content()).includes(secret), 'the secret is gone from the page')
      await shot(page, 'tokens')

      await row.getByRole('button', { name: '吊销' }).click()
      await page.locator('.el-message-box').getByRole('button', { name: '吊销' }).click()
      await row.locator('[data-test=token-status]').getByText('已吊销').waitFor()
      assert.equal(await call(secret), 401)
      await assertClean(assert, seen, { allowHttp: true })
      assert.ok(seen.httpErrors.every((e) => / 401 /.test(e)), seen.httpErrors.join('\n'))
    } finally {
      await context.close()
    }
  })
})
