package api

// ledgerRoutes registers the routes of Ledgers.
func (s *Server) ledgerRoutes() {}
