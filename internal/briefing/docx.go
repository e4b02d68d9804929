package briefing

import (
	"archive/zip"
	"fmt"
	"io"
	"strings"
)

// WriteDOCX writes the briefing as a Word document (WordprocessingML, which
// Word, WPS and LibreOffice open): A4 with official margins, a red masthead,
// 仿宋 body text and 黑体 headings (with common fallbacks), and page numbers
// in the footer.
func WriteDOCX(b Briefing, w io.Writer) error {
	z := zip.NewWriter(w)
	files := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		{"word/_rels/document.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/></Relationships>`},
		{"word/styles.xml", docxStyles},
		{"word/footer1.xml", docxFooter},
		{"word/document.xml", docxDocument(b)},
	}
	for _, f := range files {
		fw, err := z.Create(f.name)
		if err != nil {
			return fmt.Errorf("docx %s: %w", f.name, err)
		}
		if _, err := io.WriteString(fw, f.body); err != nil {
			return fmt.Errorf("docx %s: %w", f.name, err)
		}
	}
	return z.Close()
}

const wNS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`

// Fonts: 仿宋_GB2312 and 方正小标宋简体 are what government offices have;
// the eastAsia font names fall back to 仿宋/黑体 and then to whatever CJK
// font the reader's system maps them to.
const docxStyles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles ` + wNS + `>
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="仿宋_GB2312" w:cs="仿宋"/><w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault>
<w:pPrDefault><w:pPr><w:spacing w:line="560" w:lineRule="exact"/></w:pPr></w:pPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:pPr><w:ind w:firstLineChars="200" w:firstLine="640"/><w:jc w:val="both"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Masthead"><w:name w:val="Masthead 攻坚简报"/><w:basedOn w:val="Normal"/><w:pPr><w:ind w:firstLine="0"/><w:jc w:val="center"/><w:spacing w:line="240" w:lineRule="auto" w:after="200"/></w:pPr><w:rPr><w:rFonts w:ascii="SimHei" w:hAnsi="SimHei" w:eastAsia="方正小标宋简体" w:cs="黑体"/><w:b/><w:color w:val="C00000"/><w:sz w:val="88"/><w:szCs w:val="88"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="IssueLine"><w:name w:val="Issue line 期号"/><w:basedOn w:val="Normal"/><w:pPr><w:ind w:firstLine="0"/><w:jc w:val="center"/><w:pBdr><w:bottom w:val="single" w:sz="18" w:space="4" w:color="C00000"/></w:pBdr></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:pPr><w:ind w:firstLine="0"/><w:jc w:val="center"/><w:spacing w:before="400" w:after="200"/></w:pPr><w:rPr><w:rFonts w:eastAsia="方正小标宋简体" w:cs="黑体"/><w:sz w:val="44"/><w:szCs w:val="44"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:rFonts w:eastAsia="黑体" w:cs="黑体"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/><w:pPr><w:ind w:firstLine="0"/><w:jc w:val="center"/></w:pPr><w:rPr><w:sz w:val="28"/></w:rPr></w:style>
<w:style w:type="table" w:styleId="Grid"><w:name w:val="BriefingTable Grid"/><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4"/><w:left w:val="single" w:sz="4"/><w:bottom w:val="single" w:sz="4"/><w:right w:val="single" w:sz="4"/><w:insideH w:val="single" w:sz="4"/><w:insideV w:val="single" w:sz="4"/></w:tblBorders></w:tblPr></w:style>
</w:styles>`

const docxFooter = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:ftr ` + wNS + `><w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr><w:r><w:t xml:space="preserve">— </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t xml:space="preserve"> —</w:t></w:r></w:p></w:ftr>`

func xmlText(s string) string {
	var sb strings.Builder
	for _, r := range s {
		switch r {
		case '&':
			sb.WriteString("&amp;")
		case '<':
			sb.WriteString("&lt;")
		case '>':
			sb.WriteString("&gt;")
		case '"':
			sb.WriteString("&quot;")
		default:
			if r >= 0x20 || r == '\t' || r == '\n' {
				sb.WriteRune(r)
			}
		}
	}
	return sb.String()
}

func wPara(style, text string) string {
	p := "<w:p>"
	if style != "" {
		p += `<w:pPr><w:pStyle w:val="` + style + `"/></w:pPr>`
	}
	return p + `<w:r><w:t xml:space="preserve">` + xmlText(text) + `</w:t></w:r></w:p>`
}

func wTable(header []string, rows [][]string) string {
	var sb strings.Builder
	sb.WriteString(`<w:tbl><w:tblPr><w:tblStyle w:val="Grid"/><w:tblW w:w="5000" w:type="pct"/></w:tblPr><w:tblGrid>`)
	for range header {
		sb.WriteString(`<w:gridCol/>`)
	}
	sb.WriteString(`</w:tblGrid>`)
	cell := func(s string, bold bool) string {
		rpr := `<w:rPr><w:sz w:val="24"/>`
		if bold {
			rpr += `<w:b/>`
		}
		rpr += `</w:rPr>`
		return `<w:tc><w:p><w:pPr><w:ind w:firstLine="0"/><w:spacing w:line="360" w:lineRule="auto"/></w:pPr><w:r>` + rpr + `<w:t xml:space="preserve">` + xmlText(s) + `</w:t></w:r></w:p></w:tc>`
	}
	sb.WriteString(`<w:tr>`)
	for _, h := range header {
		sb.WriteString(cell(h, true))
	}
	sb.WriteString(`</w:tr>`)
	for _, r := range rows {
		sb.WriteString(`<w:tr>`)
		for _, c := range r {
			sb.WriteString(cell(c, false))
		}
		sb.WriteString(`</w:tr>`)
	}
	sb.WriteString(`</w:tbl>`)
	return sb.String()
}

func docxDocument(b Briefing) string {
	var sb strings.Builder
	sb.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n<w:document " + wNS + "><w:body>")
	l := labelsOf(b.Lang)
	sb.WriteString(wPara("Masthead", l.masthead))
	sb.WriteString(wPara("IssueLine", issueLine(b)))
	sb.WriteString(wPara("Title", b.Title))
	for _, s := range b.Content.Sections {
		if s.Title != "" {
			sb.WriteString(wPara("Heading1", s.Title))
		}
		for _, p := range s.Paragraphs {
			sb.WriteString(wPara("", p.Text))
		}
		if s.Key == "league" {
			sb.WriteString(wTable(leagueTable(b)))
		}
	}
	// A4 portrait, margins 37/35/28/26 mm as in the national standard for official documents.
	sb.WriteString(`<w:sectPr><w:footerReference w:type="default" r:id="rId2"/><w:pgSz w:w="11906" w:h="16838"/>` +
		`<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr>`)
	sb.WriteString("</w:body></w:document>")
	return sb.String()
}

type docLabels struct {
	masthead, issue string
	cols            []string
}

func labelsOf(lang string) docLabels {
	if lang == "en" {
		return docLabels{masthead: "Campaign Briefing", issue: "No. %d", cols: []string{"Rank", "Unit", "Score", "Breakdown"}}
	}
	return docLabels{masthead: "攻坚简报", issue: "第%d期", cols: []string{"名次", "单位", "得分", "构成"}}
}

// issueLine is the line under the masthead: issuer, issue number and date.
func issueLine(b Briefing) string {
	l := labelsOf(b.Lang)
	return b.Issuer + "　　" + fmt.Sprintf(l.issue, b.IssueNo) + "　　" + dateText(b.AsOf, b.Lang)
}

// leagueTable is the league table as header and rows of text.
func leagueTable(b Briefing) ([]string, [][]string) {
	var rows [][]string
	for _, r := range b.Content.League.Rows {
		var parts []string
		for _, p := range r.Breakdown {
			parts = append(parts, fmt.Sprintf("%s %s", p.Label, trimNum(p.Points, 2)))
		}
		for _, d := range r.Deductions {
			parts = append(parts, fmt.Sprintf("%s −%s", d.Label, trimNum(d.Points, 2)))
		}
		rows = append(rows, []string{fmt.Sprint(r.Rank), r.UnitName, trimNum(r.Score, 2), strings.Join(parts, "；")})
	}
	return labelsOf(b.Lang).cols, rows
}
