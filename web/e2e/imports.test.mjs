// Spreadsheet imports as a supervisor goes through them against a running
// `gongjian demo`: download the items template, upload a file written by
// LibreOffice (fixtures/items-bad.xlsx, converted headless from
// items-bad.csv) whose third row names an item type that does not exist, see
// that row named in the dry run, upload the corrected file
// (fixtures/items-fixed.xlsx), commit it, and find the new items in the list.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { BASE, assertClean, launch, open, shot, signInAt } from './helpers.mjs'

const fixture = (name) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

/** Opens an Element Plus dropdown by its trigger and clicks one entry. */
async function menu(page, trigger, entry) {
  await page.locator(`[data-test=${trigger}] .el-button`).click()
  const item = page.locator(`.el-dropdown-menu__item[data-test=${entry}]`)
  await item.waitFor()
  await item.click()
}

describe('imports', () => {
  test('a supervisor imports items from a spreadsheet: a bad row is named, the fixed file is imported', async () => {
    const { context, page, seen } = await open(browser)
    await signInAt(page, 'duchashi', '/items')
    await page.locator('[data-test=item-import]').waitFor()

    // The template downloads as an .xlsx workbook (a zip).
    const [download] = await Promise.all([page.waitForEvent('download'), menu(page, 'item-templates', 'template-items')])
    assert.match(download.suggestedFilename(), /items-template\.xlsx$/)
    const tpl = readFileSync(await download.path())
    assert.equal(tpl.subarray(0, 2).toString(), 'PK', 'the template is an .xlsx (zip) file')

    // The file with a bad row: the dry run names the row, the column and the value, and nothing can be committed.
    await menu(page, 'item-import', 'import-items')
    const dialog = page.locator('[data-test=import-dialog]')
    await dialog.waitFor()
    await page.locator('[data-test=import-file]').setInputFiles(fixture('items-bad.xlsx'))
    await dialog.locator('[data-test=import-bad]').waitFor()
    const problems = dialog.locator('[data-test=import-problems] .el-table__body tr')
    assert.equal(await problems.count(), 1)
    const cells = (await problems.first().locator('td').allInnerTexts()).map((s) => s.trim())
    assert.equal(cells[1], '4', 'the third item is on row 4 of the sheet (row 1 is the header)')
    assert.match(cells[2], /事项类型/)
    assert.equal(cells[3], '重点工程')
    assert.match(cells[4], /不是可选的值/)
    assert.ok(await dialog.locator('[data-test=import-commit]').isDisabled(), 'a file with problems cannot be committed')
    await shot(page, 'imports-1-dry-run-bad-row')

    // The corrected file passes the check: three new items.
    await page.locator('[data-test=import-file]').setInputFiles(fixture('items-fixed.xlsx'))
    await dialog.locator('[data-test=import-ok], [data-test=import-bad]').first().waitFor()
    assert.equal(await dialog.locator('[data-test=import-problems]').count(), 0,
      `problems in the fixed file: ${await dialog.locator('[data-test=import-problems]').allInnerTexts()}`)
    assert.deepEqual((await dialog.locator('[data-test=import-counts] .n').allInnerTexts()).map((s) => s.trim()), ['3', '0', '0'])
    await shot(page, 'imports-2-dry-run-ok')
    await dialog.locator('[data-test=import-commit]').click()
    await dialog.locator('[data-test=import-done]').waitFor()
    await shot(page, 'imports-3-committed')
    await dialog.locator('.el-dialog__footer .el-button').first().click()
    await dialog.waitFor({ state: 'hidden' })

    // The new items are in the list.
    const q = page.locator('input[data-test=filter-q]')
    await q.fill('导入测试')
    await q.press('Enter')
    await page.locator('.el-table__row').filter({ hasText: 'E2E-IMP-03' }).waitFor()
    const rows = page.locator('.el-table__row').filter({ hasText: '导入测试' })
    assert.equal(await rows.count(), 3)
    assert.ok(await rows.filter({ hasText: '智慧停车导入测试' }).count() === 1)
    await shot(page, 'imports-4-items-listed')

    // Leave the demo district as it was for the other journeys, which count
    // its key projects: delete the imported items again.
    const found = await (await page.request.get(`${BASE}/api/v1/items?q=${encodeURIComponent('导入测试')}`)).json()
    assert.equal(found.items.length, 3)
    for (const it of found.items) {
      const r = await page.request.delete(`${BASE}/api/v1/items/${it.id}`, { headers: { 'If-Match': `"${it.version}"` } })
      assert.equal(r.status(), 204, `delete ${it.code}: HTTP ${r.status()}`)
    }

    await assertClean(assert, seen)
    await context.close()
  })
  test('a supervisor imports enterprises: a wrong credit code is named, the fixed file is imported', async () => {
    const { context, page, seen } = await open(browser)
    await signInAt(page, 'duchashi', '/enterprises')
    await page.locator('[data-test=enterprises-import]').waitFor()

    // A small sheet written here (CSV, UTF-8 with BOM, as Excel saves it): the
    // second enterprise's 18th character (the check character) is wrong: J is right.
    const sheet = (second) => ({
      name: 'enterprises.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('\uFEFF统一社会信用代码,企业名称,注册资本（万元）,街道,白名单\r\n' +
        '91370602MA7E2E01XJ,E2E导入甲公司,1.2亿元,向阳街道,是\r\n' +
        `${second},E2E导入乙公司,"3,000",东山街道,否\r\n`, 'utf8'),
    })
    await page.locator('[data-test=enterprises-import]').click()
    const dialog = page.locator('[data-test=import-dialog]')
    await dialog.waitFor()
    await page.locator('[data-test=import-file]').setInputFiles(sheet('91370602MA7E2E028K'))
    await dialog.locator('[data-test=import-bad]').waitFor()
    const problems = dialog.locator('[data-test=import-problems] .el-table__body tr')
    assert.equal(await problems.count(), 1)
    const cells = (await problems.first().locator('td').allInnerTexts()).map((s) => s.trim())
    assert.equal(cells[1], '3', 'the second enterprise is on row 3 (row 1 is the header)')
    assert.match(cells[2], /统一社会信用代码/)
    assert.equal(cells[3], '91370602MA7E2E028K')
    assert.match(cells[4], /第18位校验码应为J/)
    assert.ok(await dialog.locator('[data-test=import-commit]').isDisabled(), 'a file with problems cannot be committed')
    await shot(page, 'imports-6-enterprises-bad-code')

    await page.locator('[data-test=import-file]').setInputFiles(sheet('91370602MA7E2E028J'))
    await dialog.locator('[data-test=import-ok], [data-test=import-bad]').first().waitFor()
    assert.equal(await dialog.locator('[data-test=import-problems]').count(), 0)
    assert.deepEqual((await dialog.locator('[data-test=import-counts] .n').allInnerTexts()).map((s) => s.trim()), ['2', '0', '0'])
    await dialog.locator('[data-test=import-commit]').click()
    await dialog.locator('[data-test=import-done]').waitFor()
    await shot(page, 'imports-7-enterprises-committed')
    await dialog.locator('.el-dialog__footer .el-button').first().click()
    await dialog.waitFor({ state: 'hidden' })

    const q = page.locator('input[data-test=filter-q]')
    await q.fill('E2E导入')
    await q.press('Enter')
    await page.locator('.el-table__row').filter({ hasText: 'E2E导入乙公司' }).waitFor()
    assert.equal(await page.locator('.el-table__row').filter({ hasText: 'E2E导入' }).count(), 2)
    await shot(page, 'imports-8-enterprises-listed')

    // Leave the demo registry as it was: delete the imported enterprises.
    const found = await (await page.request.get(`${BASE}/api/v1/enterprises?q=${encodeURIComponent('E2E导入')}`)).json()
    assert.equal(found.items.length, 2)
    for (const e of found.items) {
      const r = await page.request.delete(`${BASE}/api/v1/enterprises/${e.id}`, { headers: { 'If-Match': `"${e.version}"` } })
      assert.equal(r.status(), 204, `delete ${e.credit_code}: HTTP ${r.status()}`)
    }

    await assertClean(assert, seen)
    await context.close()
  })
  test('a reporting unit downloads its offline report form and uploads it back', async () => {
    const { context, page, seen } = await open(browser)
    await signInAt(page, 'zhujianju', '/desk')
    await page.locator('[data-test=desk-period]').waitFor()
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=report-form-download] .el-button').click()])
    assert.match(download.suggestedFilename(), /report-form-\d+\.xlsx$/)
    const file = await download.path()
    assert.equal(readFileSync(file).subarray(0, 2).toString(), 'PK', 'the form is an .xlsx (zip) file')

    // Uploaded back unchanged, the form checks clean and changes nothing: the
    // reports already filed are pre-filled, the rows left empty are skipped.
    await page.locator('[data-test=report-form-upload]').click()
    const dialog = page.locator('[data-test=import-dialog]')
    await dialog.waitFor()
    await page.locator('[data-test=import-file]').setInputFiles({ name: 'report-form.xlsx', mimeType: 'application/octet-stream', buffer: readFileSync(file) })
    await dialog.locator('[data-test=import-ok], [data-test=import-bad], [data-test=import-empty]').first().waitFor()
    assert.equal(await dialog.locator('[data-test=import-problems]').count(), 0)
    const counts = (await dialog.locator('[data-test=import-counts] .n').allInnerTexts()).map((s) => s.trim())
    assert.deepEqual(counts.slice(0, 2), ['0', '0'], 'an unchanged form creates and updates nothing')
    await shot(page, 'imports-5-report-form-dry-run')

    await assertClean(assert, seen)
    await context.close()
  })
})
