package demo

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"

	"gongjian/internal/exif/exiftest"
	"gongjian/internal/progress"
	"gongjian/internal/store"
)

// photoPeriod is the report the demo's site photos are on: the last month
// the demo files (lastPeriod), so a new user opening a big project's latest
// report, or its history, sees the feature.
const photoPeriod = "2022-11"

// photoProjects are the big construction projects (buildings going up, each
// with an S-curve investment plan) whose reports get photos: 芝罘湾广场 and
// 幸福新城片区商业综合体.
var photoProjects = []string{"XM-001", "XM-014"}

// sitePhoto is one demo photo: what it shows, when (Beijing time, as the
// camera writes it) and where (near the district's seafront).
type sitePhoto struct {
	name, caption string
	taken         string  // EXIF DateTimeOriginal
	lat, lon      float64 // degrees
	floors        int     // how far the building has risen
	view          string  // site (wide, with the crane), structure (close), hoarding
}

// sitePhotos are the photos of the n-th project (0-based): the whole site,
// the structure close up, and the hoarding of a civilised site.
func sitePhotos(n int) []sitePhoto {
	lat, lon := 37.5431+0.004*float64(n), 121.3989+0.006*float64(n)
	day, floors := 24+n, 9+4*n
	return []sitePhoto{
		{fmt.Sprintf("工地全景-%d.jpg", n+1), "工地全景：主体结构施工", fmt.Sprintf("2022:11:%02d 09:40:00", day), lat, lon, floors, "site"},
		{fmt.Sprintf("主体结构-%d.jpg", n+1), fmt.Sprintf("主体结构施工至第 %d 层", floors), fmt.Sprintf("2022:11:%02d 10:05:00", day), lat + 0.0003, lon + 0.0002, floors, "structure"},
		{fmt.Sprintf("文明施工-%d.jpg", n+1), "文明施工：围挡、雾炮降尘", fmt.Sprintf("2022:11:%02d 10:30:00", day), lat - 0.0004, lon + 0.0005, floors, "hoarding"},
	}
}

// loadPhotos puts site photos, JPEGs drawn here with the camera's EXIF time
// and GPS position, on the November 2022 reports of the biggest key projects
// under construction, as if uploaded while the reports were drafted. A report
// that has photos already is skipped, so a second run adds none.
func loadPhotos(ctx context.Context, s Services, _ Extras, sum Summary) error {
	return s.DB.Tx(ctx, func(q store.Querier) error {
		for n, code := range photoProjects {
			var id int64
			err := q.QueryRow(ctx, `SELECT id FROM items WHERE campaign_id = ? AND code = ?`, sum.CampaignID, code).Scan(&id)
			if store.IsNoRows(err) {
				continue
			}
			if err != nil {
				return fmt.Errorf("project %s for photos: %w", code, err)
			}
			var photos []progress.DemoPhoto
			for _, p := range sitePhotos(n) {
				b, err := p.jpeg()
				if err != nil {
					return err
				}
				photos = append(photos, progress.DemoPhoto{FileName: p.name, Caption: p.caption, Content: b})
			}
			if _, err := progress.AddPhotosForDemo(ctx, q, id, photoPeriod, photos); err != nil {
				return err
			}
		}
		return nil
	})
}

// jpeg draws the photo (320×240: sky, sea, a building going up, seen whole
// with its tower crane, close up in its scaffolding, or behind the site's
// hoarding) and writes the camera's EXIF block into it.
func (p sitePhoto) jpeg() ([]byte, error) {
	const w, h = 320, 240
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	fill := func(x0, y0, x1, y1 int, c color.RGBA) {
		for y := max(y0, 0); y < min(y1, h); y++ {
			for x := max(x0, 0); x < min(x1, w); x++ {
				img.SetRGBA(x, y, c)
			}
		}
	}
	ground := h * 3 / 5
	for y := 0; y < ground; y++ { // a winter morning sky, paler at the horizon
		fill(0, y, w, y+1, color.RGBA{uint8(110 + 90*y/h), uint8(160 + 60*y/h), 225, 255})
	}
	fill(0, ground-8, w, ground, color.RGBA{70, 120, 160, 255}) // the sea beyond
	fill(0, ground, w, h, color.RGBA{158, 130, 96, 255})        // the site's ground
	// The building: a concrete frame, one band per floor, the top floor's formwork.
	floor, bx0, bx1 := 8, w/3, w/3+110
	if p.view == "structure" {
		floor, bx0, bx1, ground = 20, 30, 250, h-10
	}
	top := ground - floor*p.floors
	fill(bx0, top, bx1, ground, color.RGBA{168, 168, 172, 255})
	for f := 0; f < p.floors; f++ {
		y := ground - floor*(f+1)
		fill(bx0, y, bx1, y+floor/4, color.RGBA{128, 128, 134, 255})
		for x := bx0 + floor*3/4; x+floor < bx1; x += floor * 7 / 4 {
			fill(x, y+floor*3/8, x+floor, y+floor*7/8, color.RGBA{72, 92, 120, 255})
		}
	}
	fill(bx0-2, top-floor*5/8, bx1+2, top, color.RGBA{196, 150, 70, 255})
	switch p.view {
	case "site": // the tower crane: mast, jib, counterweight, hook line
		mx := bx1 + 24
		fill(mx, top-40, mx+5, ground, color.RGBA{232, 178, 32, 255})
		fill(mx-70, top-40, mx+40, top-36, color.RGBA{232, 178, 32, 255})
		fill(mx+30, top-36, mx+40, top-28, color.RGBA{90, 90, 90, 255})
		fill(mx-50, top-36, mx-49, top-6, color.RGBA{60, 60, 60, 255})
	case "structure": // scaffolding and the green safety net on the upper floors
		for x := bx1 + 4; x < bx1+60; x += 12 {
			fill(x, top-12, x+2, h, color.RGBA{110, 110, 115, 255})
		}
		for y := top - 12; y < h; y += floor {
			fill(bx1+4, y, bx1+60, y+2, color.RGBA{110, 110, 115, 255})
		}
		fill(bx1+62, top-12, w, top+floor*3, color.RGBA{40, 130, 70, 255})
	case "hoarding": // green dust nets over the soil, the fog cannon's mist
		for i := 0; i < 3; i++ {
			x := 20 + 100*i
			for y := 0; y < 24; y++ {
				fill(x+24-y, h-110+y, x+24+y+30, h-110+y+1, color.RGBA{46, 125, 60, 255})
			}
		}
		for i := 0; i < 40; i++ {
			x, y := 250+(i*37)%60-i, 60+(i*53)%50
			fill(x, y, x+6, y+4, color.RGBA{236, 240, 245, 255})
		}
		fill(266, h-120, 276, h-86, color.RGBA{80, 80, 85, 255})
	}
	// The hoarding along the front, white-striped blue, its panels seamed.
	hy := h - 46
	if p.view == "hoarding" {
		hy = h - 86
	}
	if p.view != "structure" {
		fill(0, hy, w, h-24, color.RGBA{30, 86, 170, 255})
		fill(0, hy+10, w, hy+13, color.RGBA{240, 240, 240, 255})
		for x := 0; x < w; x += 40 {
			fill(x, hy, x+1, h-24, color.RGBA{20, 60, 130, 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 80}); err != nil {
		return nil, fmt.Errorf("demo photo %s: %w", p.name, err)
	}
	app1 := exiftest.APP1(exiftest.Photo{DateTimeOriginal: p.taken, OffsetTimeOriginal: "+08:00", GPS: true, Lat: p.lat, Lon: p.lon})
	return exiftest.Insert(buf.Bytes(), app1), nil
}
