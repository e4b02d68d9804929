// Real user journeys through the UI against a running `gongjian demo`
// (GONGJIAN_URL). Each asserts what the user sees on the page.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, assertClean, launch, menuTexts, open, shot, signIn } from './helpers.mjs'

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

describe('supervisor', () => {
  test('cockpit shows the articles’ figures; the key-project figure opens the list; an item shows its leader and milestones', async () => {
    const { context, page, seen } = await open(browser)
    try {
      await signIn(page, 'duchashi')
      assert.equal(new URL(page.url()).pathname, '/')
      const kp = page.locator('[data-test=fig-key-projects]')
      await assert.doesNotReject(kp.getByText('81', { exact: true }).waitFor())
      assert.match(await kp.innerText(), /重点项目\s*81\s*个/)
      assert.match(await page.locator('[data-test=fig-total-investment]').innerText(), /总投资\s*858\s*亿元/)
      assert.match(await page.locator('[data-test=fig-annual-investment]').innerText(), /年度计划投资\s*156\s*亿元/)
      assert.match(await page.locator('[data-test=fig-reform-tasks]').innerText(), /改革任务\s*15\s*项/)
      // Both charts drew, and the overdue-milestone check finished.
      await page.locator('[data-test=chart-zone] canvas').waitFor()
      await page.locator('[data-test=chart-level] canvas').waitFor()
      await page.locator('[data-test=overdue-count]').waitFor({ timeout: 30000 })
      const overdueRows = await page.locator('[data-test=overdue-table] .el-table__body tr').count()
      assert.equal(Number(await page.locator('[data-test=overdue-count]').innerText()), overdueRows)
      await shot(page, 'cockpit')

      await kp.click()
      await page.waitForURL(/\/items\?/)
      const q = new URL(page.url()).searchParams
      assert.equal(q.get('type'), 'key_project')
      await page.locator('[data-test=item-total]').getByText('81', { exact: true }).waitFor()
      assert.match(await page.locator('[data-test=item-summary]').innerText(), /共\s*81\s*项，总投资\s*858亿元，年度计划投资\s*156亿元/)
      assert.equal(await page.locator('[data-test=item-table] .el-table__body tr').count(), 20, 'first page of 20')
      await shot(page, 'items')

      await page.getByRole('link', { name: '芝罘湾广场', exact: true }).click()
      await page.waitForURL(/\/items\/\d+$/)
      await assert.doesNotReject(page.locator('[data-test=item-name]').getByText('芝罘湾广场').waitFor())
      assert.equal((await page.locator('[data-test=item-leader]').innerText()).trim(), '常务副区长')
      assert.equal((await page.locator('[data-test=item-lead-unit]').innerText()).trim(), '区城市更新中心')
      const milestones = page.locator('[data-test=milestones] .el-timeline-item')
      await milestones.first().waitFor()
      assert.equal(await milestones.count(), 3)
      const ms = await page.locator('[data-test=milestones]').innerText()
      assert.match(ms, /会西街区片征迁清零/)
      assert.match(ms, /2022年6月30日/)
      assert.match(ms, /已完成/)
      assert.equal(await page.locator('[data-test=milestone-done]').count(), 2)
      // Audit history is shown to a supervisor (audit:read).
      await page.locator('[data-test=history]').waitFor()
      await shot(page, 'item')
      await assertClean(assert, seen)
    } finally {
      await context.close()
    }
  })

  test('creating an item without a leader shows the API’s error next to 责任领导', async () => {
    const { context, page, seen } = await open(browser)
    try {
      await signIn(page, 'duchashi')
      await page.locator('[data-test=menu-items]').click()
      await page.waitForURL(/\/items/)
      await page.locator('[data-test=item-create]').click()
      const dialog = page.locator('[data-test=item-dialog]')
      await dialog.locator('[data-test=f-code] input').fill(`E2E-${Date.now()}`)
      await dialog.locator('[data-test=f-name] input').fill('端到端测试事项')
      await dialog.locator('[data-test=item-save]').click()
      const err = dialog.locator('[data-test=f-leader] .el-form-item__error')
      await err.waitFor()
      assert.match(await err.innerText(), /每个事项必须明确一名责任领导/)
      assert.match(await dialog.locator('[data-test=f-lead-unit] .el-form-item__error').innerText(), /牵头单位/)
      assert.equal(await dialog.locator('[data-test=f-name] .el-form-item__error').count(), 0, 'no error on a good field')
      await shot(page, 'item-create-error')
      await assertClean(assert, seen, { allowHttp: true }) // the 422 itself is logged by the browser
      assert.ok(seen.httpErrors.every((e) => / 422 /.test(e)), seen.httpErrors.join('\n'))
    } finally {
      await context.close()
    }
  })

  test('saving over someone else’s change says so and reloads the record', async () => {
    const { context, page, seen } = await open(browser)
    try {
      await signIn(page, 'duchashi')
      await page.goto(`${BASE}/items?q=${encodeURIComponent('一二突堤')}`)
      const row = page.locator('[data-test=item-table] .el-table__body tr').first()
      await row.getByText('一二突堤基础配套工程').waitFor()
      await row.getByRole('button', { name: '编辑' }).click()
      const dialog = page.locator('[data-test=item-dialog]')
      await dialog.locator('[data-test=f-location] input').waitFor()
      // Meanwhile someone else saves the same item.
      const note = `他人修改 ${Date.now()}`
      const status = await page.evaluate(async (note) => {
        const list = await (await fetch('/api/v1/items?q=' + encodeURIComponent('一二突堤'))).json()
        const it = list.items[0]
        const keys = ['campaign_id', 'code', 'name', 'type', 'level', 'state', 'parent_id', 'zone_id', 'leader_id', 'lead_unit_id',
          'co_unit_ids', 'work_plan', 'total_investment_wan', 'annual_investment_wan', 'start_date', 'end_date', 'location', 'illustrative']
        const body = Object.fromEntries(keys.filter((k) => it[k] !== null && it[k] !== '').map((k) => [k, it[k]]))
        body.note = note
        const r = await fetch(`/api/v1/items/${it.id}`, { method: 'PUT', headers: { 'Content-Type': 'application/json', 'If-Match': `"${it.version}"` }, body: JSON.stringify(body) })
        return r.status
      }, note)
      assert.equal(status, 200)
      await dialog.locator('[data-test=f-location] input').fill('芝罘区一二突堤（本人修改）')
      await dialog.locator('[data-test=item-save]').click()
      await page.locator('.el-message').getByText('已被他人修改').waitFor()
      // The dialog now holds the other person's version.
      await assert.doesNotReject(async () => {
        for (let i = 0; i < 50; i++) {
          if ((await dialog.locator('[data-test=f-note] textarea').inputValue()) === note) return
          await page.waitForTimeout(100)
        }
        throw new Error('note not reloaded')
      })
      await dialog.locator('[data-test=item-save]').click()
      await page.locator('.el-message').getByText('已保存').waitFor()
      await assertClean(assert, seen, { allowHttp: true })
      assert.ok(seen.httpErrors.every((e) => / 412 | 409 /.test(e)), seen.httpErrors.join('\n'))
    } finally {
      await context.close()
    }
  })

  test('audit trail: the hash chain verifies', async () => {
    const { context, page, seen } = await open(browser)
    try {
      await signIn(page, 'duchashi')
      await page.locator('[data-test=menu-audit]').click()
      await page.locator('[data-test=audit-table] .el-table__body tr').first().waitFor()
      await page.locator('[data-test=audit-verify]').click()
      const res = page.locator('[data-test=audit-verify-result]')
      await res.waitFor()
      assert.match(await res.innerText(), /哈希链完好：已校验 \d+ 条记录/)
      await assertClean(assert, seen)
    } finally {
      await context.close()
    }
  })

  test('switching the language to English changes the menu, and it is remembered', async () => {
    const { context, page, seen } = await open(browser)
    try {
      await signIn(page, 'duchashi')
      assert.deepEqual(await menuTexts(page), ['驾驶舱', '事项', '组织', '攻坚年与战区', '留痕'])
      await page.locator('[data-test=lang-switch]').click()
      await page.locator('[data-test=lang-en]').click()
      await page.locator('[data-test=side-menu]').getByText('Cockpit').waitFor()
      assert.deepEqual(await menuTexts(page), ['Cockpit', 'Items', 'Organisation', 'Campaigns & zones', 'Audit trail'])
      await page.locator('[data-test=fig-key-projects]').getByText('Key projects').waitFor()
      assert.match(await page.locator('[data-test=fig-total-investment]').innerText(), /85\.8\s*bn yuan/)
      await page.locator('[data-test=overdue-count]').waitFor({ timeout: 30000 })
      await shot(page, 'cockpit-en')
      await page.reload()
      await page.locator('[data-test=side-menu]').getByText('Items').waitFor()
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'en')
      await page.goto(`${BASE}/items?type=key_project&top_level=1`)
      await page.locator('[data-test=item-summary]').getByText('81').waitFor()
      assert.match(await page.locator('[data-test=item-summary]').innerText(), /81 items, total investment 85\.8 bn yuan/)
      // Element Plus follows: the pager speaks English.
      assert.match(await page.locator('.el-pagination').innerText(), /Total 81/)
      await shot(page, 'items-en')
      await assertClean(assert, seen)
    } finally {
      await context.close()
    }
  })
})

describe('unit reporter', () => {
  test('zhujianju sees only items of 区住建局 (lead or co-operating) and no 用户管理 or 留痕 menu', async () => {
    const { context, page, seen } = await open(browser)
    try {
      await signIn(page, 'zhujianju')
      const menu = await menuTexts(page)
      assert.ok(!menu.includes('用户管理'), `menu: ${menu}`)
      assert.ok(!menu.includes('留痕'), `menu: ${menu}`)
      assert.ok(menu.includes('事项'))
      await page.locator('[data-test=menu-items]').click()
      await page.waitForURL(/\/items/)
      assert.equal(await page.locator('[data-test=item-create]').count(), 0, 'no create button without item:edit')
      await page.goto(`${BASE}/items?page_size=200`)
      const rows = page.locator('[data-test=item-table] .el-table__body tr')
      await rows.first().waitFor()
      const total = Number(await page.locator('[data-test=item-total]').innerText())
      assert.ok(total > 0)
      assert.equal(await rows.count(), Math.min(total, 200))
      let led = 0
      let cooperated = 0
      for (const r of await rows.all()) {
        const lead = (await r.locator('[data-test=lead-unit]').innerText()).trim()
        if (lead === '区住建局') { led++; continue }
        const co = await r.locator('[data-test=co-units]').textContent().catch(() => '')
        assert.match(co ?? '', /区住建局/, `row led by ${lead} without 区住建局 co-operating`)
        cooperated++
      }
      assert.ok(led > 0, 'leads some items')
      await shot(page, 'items-reporter')
      // Pages the role may not open say so.
      await page.goto(`${BASE}/users`)
      await page.getByText('当前角色无权查看此页面').waitFor()
      await assertClean(assert, seen)
    } finally {
      await context.close()
    }
  })
})

describe('administrator', () => {
  test('creates a user and is shown the generated password once', async () => {
    const { context, page, seen } = await open(browser)
    try {
      await signIn(page, 'admin')
      await page.locator('[data-test=menu-users]').click()
      await page.locator('[data-test=user-table] .el-table__body tr').first().waitFor()
      await page.locator('[data-test=user-create]').click()
      await page.locator('input[data-test=u-username]').fill(`e2e${Date.now()}`)
      await page.locator('[data-test=u-unit]').click()
      await page.locator('.el-select-dropdown__item:visible', { hasText: '区住建局' }).first().click()
      await page.locator('[data-test=u-save]').click()
      const pw = page.locator('[data-test=generated-password]')
      await pw.waitFor()
      assert.ok((await pw.innerText()).trim().length >= 8)
      await assertClean(assert, seen)
    } finally {
      await context.close()
    }
  })
})
