package briefing

import (
	"fmt"
	"io"
	"os"

	"github.com/go-pdf/fpdf"

	"gongjian/internal/errs"
)

// PDFFonts are the TrueType CJK fonts looked for, in order. fpdf embeds
// glyf-outline TrueType only (not the .ttc/.otf of Noto CJK or WenQuanYi), so
// Debian's fonts-droid-fallback is the one to install.
var PDFFonts = []string{
	"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
	"/usr/share/fonts/truetype/droid/DroidSansFallback.ttf",
	"/usr/share/fonts/truetype/arphic/uming.ttf",
	"/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf",
}

// ErrNoFont says the server cannot write a PDF with Chinese text.
var ErrNoFont = &errs.Error{Kind: errs.KindConflict, Key: "briefing.pdf_font_missing",
	Message: "服务器未安装可嵌入 PDF 的中文字体（请安装 Debian 软件包 fonts-droid-fallback），可先使用打印视图或 Word 文档"}

func pdfFont(paths []string) (string, error) {
	for _, p := range paths {
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, nil
		}
	}
	return "", ErrNoFont
}

// WritePDF writes the briefing as an A4 PDF with the Chinese text embedded
// from a system font and page numbers in the footer.
func WritePDF(b Briefing, w io.Writer, fonts []string) error {
	font, err := pdfFont(fonts)
	if err != nil {
		return err
	}
	p := fpdf.New("P", "mm", "A4", "")
	p.SetMargins(28, 37, 26)
	p.SetAutoPageBreak(true, 35)
	ttf, err := os.ReadFile(font)
	if err != nil {
		return fmt.Errorf("pdf font: %w", err)
	}
	p.AddUTF8FontFromBytes("cjk", "", ttf)
	if err := p.Error(); err != nil {
		return fmt.Errorf("pdf font %s: %w", font, err)
	}
	p.SetTitle(b.Title, true)
	p.SetFooterFunc(func() {
		p.SetY(-25)
		p.SetFont("cjk", "", 12)
		p.CellFormat(0, 10, fmt.Sprintf("— %d —", p.PageNo()), "", 0, "C", false, 0, "")
	})
	p.AddPage()
	l := labelsOf(b.Lang)
	p.SetTextColor(192, 0, 0)
	p.SetFont("cjk", "", 36)
	p.CellFormat(0, 18, l.masthead, "", 1, "C", false, 0, "")
	p.SetFont("cjk", "", 12)
	p.CellFormat(0, 8, issueLine(b), "", 1, "C", false, 0, "")
	p.SetDrawColor(192, 0, 0)
	p.SetLineWidth(0.8)
	y := p.GetY() + 1
	p.Line(28, y, 210-26, y)
	p.SetTextColor(0, 0, 0)
	p.Ln(6)
	p.SetFont("cjk", "", 20)
	p.MultiCell(0, 10, b.Title, "", "C", false)
	p.Ln(4)
	for _, s := range b.Content.Sections {
		if s.Title != "" {
			p.SetFont("cjk", "", 15)
			p.MultiCell(0, 9, s.Title, "", "L", false)
		}
		p.SetFont("cjk", "", 13)
		for _, para := range s.Paragraphs {
			p.MultiCell(0, 8, "　　"+para.Text, "", "J", false)
		}
		if s.Key == "league" {
			head, rows := leagueTable(b)
			widths := []float64{14, 50, 20, 72}
			p.SetFont("cjk", "", 10)
			for i, h := range head {
				p.CellFormat(widths[i], 7, h, "1", 0, "C", false, 0, "")
			}
			p.Ln(-1)
			for _, r := range rows {
				for i, c := range r[:3] {
					p.CellFormat(widths[i], 7, c, "1", 0, "C", false, 0, "")
				}
				p.CellFormat(widths[3], 7, truncate(r[3], 40), "1", 1, "L", false, 0, "")
			}
		}
		p.Ln(2)
	}
	if err := p.Output(w); err != nil {
		return fmt.Errorf("write pdf: %w", err)
	}
	return nil
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
