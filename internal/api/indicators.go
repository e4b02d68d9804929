package api

// indicatorRoutes registers the routes of Indicators.
func (s *Server) indicatorRoutes() {}
