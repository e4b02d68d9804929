// The committed bundle works offline and under the server's CSP: it names no
// outside host, evaluates no strings as code, and has no inline script.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

const DIST = new URL('../../internal/web/dist/', import.meta.url).pathname

function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]))
}

test('the bundle names no outside host (XML namespace names excepted)', () => {
  const found = []
  for (const f of files(DIST)) {
    const text = readFileSync(f, 'utf8')
    for (const m of text.matchAll(/https?:\/\/[^\s"'`)<>]+/g)) {
      if (!/^http:\/\/www\.w3\.org\/(2000\/svg|1999\/xlink|1998\/Math\/MathML|XML\/1998\/namespace|2000\/xmlns\/)/.test(m[0])) found.push(`${f}: ${m[0]}`)
    }
  }
  assert.deepEqual(found, [])
})

test('no eval or new Function in the scripts; index.html has no inline script', () => {
  const bad = []
  for (const f of files(DIST).filter((f) => f.endsWith('.js'))) {
    const text = readFileSync(f, 'utf8')
    if (/\bnew Function\s*\(|[^.\w]eval\s*\(/.test(text)) bad.push(f)
  }
  assert.deepEqual(bad, [])
  const html = readFileSync(join(DIST, 'index.html'), 'utf8')
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
    assert.match(m[1], /\bsrc="\/assets\//, 'every script is a file of the bundle')
    assert.equal(m[2].trim(), '', 'no inline script')
  }
})
