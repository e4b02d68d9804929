package demo

// District is the whole demo data set, written as plain data so that the
// figures can be checked against the articles by reading one file.
type District struct {
	Units    []Unit
	Persons  []Person
	Campaign Campaign
	Zones    []Zone
	Items    []Item
	Accounts []Account
}

// Unit is an organisation; ParentCode "" is the root.
type Unit struct {
	Code, Name string
	Kind       string // leadership | bureau | street | soe | other
	ParentCode string
}

// Person is named by post (区长, 住建局局长 …), never by a real person's name.
type Person struct {
	Code, Name, Title, UnitCode string
}

// Campaign is the year's campaign.
type Campaign struct {
	Code, Name  string
	Year        int
	Start, End  string // 2006-01-02
	Cadence     string // weekly | monthly
	Description string
}

// Zone is a war zone, area or grid; CommanderCode is a person.
type Zone struct {
	Code, Name, Kind, ParentCode, CommanderCode, Description string
}

// Item is a reform task, key project, livelihood project or special action.
type Item struct {
	Code, Name   string
	Type         string // reform_task | key_project | livelihood_project | special_action
	Level        string // province | city | district | "" (key projects only)
	State        string // planned | in_progress | completed | suspended
	ParentCode   string
	ZoneCode     string
	LeaderCode   string // person
	LeadUnitCode string
	CoUnitCodes  []string
	WorkPlan     string
	TotalWan     float64 // total planned investment, 万元
	AnnualWan    float64 // this year's planned investment, 万元
	Start, End   string
	Location     string
	Illustrative bool   // true where the articles give only a count or a total
	Note         string // the article's sentence this item comes from
	Milestones   []Milestone
	Targets      []Target
}

// Milestone is a dated step; ActualDate "" means not yet reached.
type Milestone struct {
	Name, Kind              string // kind: relocation_cleared | construction_started | completed | opened | delivered | other
	PlannedDate, ActualDate string
}

// Target is a quantity to reach by a deadline.
type Target struct {
	Name, Unit string
	Baseline   float64
	Value      float64
	Deadline   string
	Direction  string // higher | lower
}

// Account is a demo sign-in, one per role.
type Account struct {
	Username, Password, Role, UnitCode, PersonCode, DisplayName string
}
