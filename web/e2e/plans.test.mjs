// 计划曲线 as a supervisor goes through it against a running `gongjian demo`
// (GONGJIAN_URL): on a big project's page, the investment target's plan
// curve (the demo's S-curve) opens with its rows and a preview against the
// linear plan; a row that goes backwards is refused and named; pasting two
// columns from Excel fills the table; the plan is saved and put back.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, apiGet as api, assertClean, launch, open, shot, signInAt } from './helpers.mjs'

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

describe('计划曲线', () => {
  test('a supervisor reads, checks and edits a target plan curve', async () => {
    const s = await open(browser)
    const page = s.page
    await signInAt(page, 'duchashi', '/')
    const items = await api(page, `/items?q=${encodeURIComponent('芝罘湾广场')}`)
    const item = items.items.find((i) => i.code === 'XM-001')
    assert.ok(item, 'XM-001 in the demo')
    const targets = await api(page, `/items/${item.id}/targets`)
    const target = targets.items.find((x) => x.name === '年度计划投资')
    assert.ok(target, 'the big project has its investment target')
    const before = await api(page, `/targets/${target.id}/plan`)
    assert.equal(before.plan.length, 4, 'the demo S-curve has four points')

    await page.goto(`${BASE}/items/${item.id}`)
    await page.locator(`[data-test=plan-open-${target.id}]`).click()
    const dialog = page.locator('[data-test=plan-dialog]')
    await dialog.waitFor()
    await page.locator('[data-test=plan-rows] .el-table__row').nth(3).waitFor()
    assert.equal(await page.locator('[data-test=plan-rows] .el-table__row').count(), 4)
    assert.ok(await page.locator('[data-test=plan-preview] polyline').count() === 2, 'curve and linear plan drawn')
    await page.waitForTimeout(400)
    await shot(page, 'plans-dialog')

    // A second row lower than the first: refused, and the row is named.
    const v1 = page.locator('[data-test=plan-value-1] input')
    await v1.fill('1')
    await v1.blur()
    await page.locator('[data-test=plan-save]').click()
    await page.locator('[data-test=plan-row-error]').first().waitFor()
    assert.match(await page.locator('[data-test=plan-row-error]').first().textContent(), /不能|低于/)
    await shot(page, 'plans-row-error')
    const unchanged = await api(page, `/targets/${target.id}/plan`)
    assert.deepEqual(unchanged.plan, before.plan, 'nothing written on a refused plan')

    // Pasting two columns from Excel fills the table; saving keeps it.
    await page.locator('[data-test=plan-paste-toggle]').click()
    const half = Math.round(target.value / 2)
    await page.locator('textarea[data-test=plan-paste]').fill(`期末日期\t计划累计值\n2022-04-30\t${Math.round(target.value / 10)}\n2022-08-31\t${half}\n`)
    await page.locator('[data-test=plan-paste-apply]').click()
    assert.equal(await page.locator('[data-test=plan-rows] .el-table__row').count(), 2)
    await page.locator('[data-test=plan-save]').click()
    await dialog.waitFor({ state: 'hidden' })
    const saved = await api(page, `/targets/${target.id}/plan`)
    assert.deepEqual(saved.plan.map((p) => p.date), ['2022-04-30', '2022-08-31'])
    assert.equal(saved.plan[1].value, half)

    // Put the demo's S-curve back, as the next journeys expect it.
    const r = await page.request.put(`${BASE}/api/v1/targets/${target.id}/plan`, {
      data: { plan: before.plan },
      headers: { Origin: BASE },
    })
    assert.ok(r.ok(), `PUT plan back: HTTP ${r.status()}`)
    await assertClean(assert, s.seen, { allowHttp: true }) // the refused plan is a 422 on purpose
  })
})
