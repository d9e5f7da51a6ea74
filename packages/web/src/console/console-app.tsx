/**
 * The manager's console, loaded on demand (its code stays out of the labelers' bundle). Only
 * admins and managers see its entries; the server refuses its calls to anyone else anyway.
 */
import { Link, Route, Routes } from 'react-router';
import { managesAnything, useMe } from '../api/session.tsx';
import { EmptyState } from '../ui/states.tsx';
import { TopBar } from '../ui/top-bar.tsx';
import { AuditScreen } from './audit.tsx';
import { BatchesScreen } from './batches.tsx';
import './console.css';
import { DatasetsScreen } from './datasets.tsx';
import { ExportScreen } from './export.tsx';
import { MembersScreen } from './members.tsx';
import { OverviewScreen } from './overview.tsx';
import { PeopleScreen } from './people.tsx';
import { NewProjectScreen } from './project-new.tsx';
import { ProjectsScreen } from './projects.tsx';
import { RowDetailScreen } from './row-detail.tsx';
import { RowsScreen } from './rows.tsx';
import { SettingsScreen } from './settings.tsx';

export default function ConsoleApp() {
  const me = useMe();
  if (!managesAnything(me)) {
    return (
      <>
        <TopBar />
        <main className="page">
          <EmptyState title="The console is for project managers and admins">
            <Link to="/">Back to your projects</Link>
          </EmptyState>
        </main>
      </>
    );
  }
  return (
    <Routes>
      <Route index element={<ProjectsScreen />} />
      <Route path="projects/new" element={<NewProjectScreen />} />
      <Route path="projects/:projectId" element={<OverviewScreen />} />
      <Route path="projects/:projectId/rows" element={<RowsScreen />} />
      <Route path="projects/:projectId/rows/:dataRowId" element={<RowDetailScreen />} />
      <Route path="projects/:projectId/batches" element={<BatchesScreen />} />
      <Route path="projects/:projectId/members" element={<MembersScreen />} />
      <Route path="projects/:projectId/export" element={<ExportScreen />} />
      <Route path="projects/:projectId/settings" element={<SettingsScreen />} />
      <Route path="datasets" element={<DatasetsScreen />} />
      <Route path="audit" element={<AuditScreen />} />
      <Route path="people" element={<PeopleScreen />} />
      <Route
        path="*"
        element={
          <>
            <TopBar />
            <main className="page">
              <EmptyState title="There is nothing at this address">
                <Link to="/console">Back to the console</Link>
              </EmptyState>
            </main>
          </>
        }
      />
    </Routes>
  );
}
