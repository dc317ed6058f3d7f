"""Dữ liệu: what is loaded, who has not reported, upload with dry run and apply, versions, audit log."""
import math
from functools import partial

import streamlit as st

from communes import auth, db, fmt, progress, settings, staging, steward, ui
from communes.contract import DATASETS
from communes.views import data as view

f: ui.Frame = ui.page_frame()
lg, t = f.lang, f.t
BADGE = {"sample": "orange", "official": "green", "mixed": "orange"}
MISSING_STYLE = "background-color: #f8d7da; color: #7a1c24"

user = getattr(f, "user", auth.LOCAL)
local = user.local  # login off: the one local user may steward; with login, stewards only
can_steward = local or user.can_steward
who = None if local else user.name  # a signed-in user is logged by name; "không rõ" only without login
units = f.ref.units if user.units is None else f.ref.units[f.ref.units["unit_code"].isin(user.units)]

# data
d = view.load(ui.data, f)
meta = d.meta

st.title(t("data.title"))
origin = view.origin(meta)
st.badge(t("data.badge", origin=t(f"data.origin.{origin}")), color=BADGE[origin])
st.caption(t("data.caption", fingerprint=meta.get("fingerprint", "?"), built=view.when(meta.get("built_at"), lg)))
flash = st.session_state.pop("data_flash", None)  # the result of an apply or a restore, after the rerun
if flash:
    (st.success if flash[0] == "ok" else st.error)(flash[1])

# what is loaded
st.subheader(t("data.loaded"))
st.dataframe(view.dataset_table(d, t, lg), hide_index=True)
st.caption(t("data.loaded.note"))
if len(d.warnings) and user.units is None:  # the warnings quote rows of every unit: not for a unit viewer
    with st.expander(t("data.warnings", n=len(d.warnings))):
        st.dataframe(view.warnings_table(d.warnings, t), hide_index=True)

# who has not reported
st.subheader(t("data.completeness"))
st.markdown(view.md(view.summary_line(d.completeness, units, d.months[-1], t, lg)))
ds = ui.bound(st.radio, t("data.completeness.pick"), list(view.MONTHLY), "ds",
              format_func=lambda x: t(f"data.ds.{x}"), horizontal=True)
grid = view.matrix(d.completeness, units, ds, d.months, t, lg)
missing = t("data.not_reported")
st.dataframe(grid.style.map(lambda v: MISSING_STYLE if v == missing else ""), hide_index=True)
st.caption(t("data.completeness.note"))

# upload: dry run first, apply after confirmation
st.subheader(t("data.upload"))
mb = float(settings.get("upload_max_mb"))
st.caption(t("data.upload.help", mb=fmt.number(mb, 0 if mb >= 1 else 3, lg)))
up = None
if can_steward:
    up = st.file_uploader(t("data.upload.file"), type=["csv", "gz", "xlsx", "tsv", "txt"], max_upload_size=max(1, math.ceil(mb)),
                          key="data_upload")
else:
    st.info(t("data.steward_only"))
plan = st.session_state.get("data_plan")
if plan is not None and (up is None or st.session_state.get("data_plan_file") != up.file_id):
    staging.discard(plan)  # another file (or none): the old dry run no longer applies
    plan = st.session_state["data_plan"] = None
if up is not None:
    names = list(DATASETS)
    guess = staging.guess_dataset(up.name) or names[0]
    dataset = st.selectbox(t("data.upload.dataset"), names, index=names.index(guess),
                           format_func=lambda x: t(f"data.ds.{x}"), key=f"data_ds_{up.file_id}")
    st.caption(t("data.upload.who", who=who or steward.NOBODY))
    if st.button(t("data.dry_run"), type="primary", key="data_dry_run"):
        if plan is not None:
            staging.discard(plan)
        bar = st.progress(0.0, text=t("data.running"))

        def report(phase, rows, seconds):  # the phase, with the rows handled and their rate
            bar.progress(progress.fraction(phase), text=progress.text(phase, rows, seconds, lg))

        try:
            plan = steward.dry_run(staging.stage(up, up.name), dataset, progress=report)
        except staging.UploadError as exc:  # wrong type or too large: refused before any reading
            plan = steward.Plan("", dataset, staging.clean_name(up.name), "", up.size, problems=exc.problems)
        st.session_state["data_plan"], st.session_state["data_plan_file"] = plan, up.file_id

if plan is not None:
    if plan.errors:
        st.error(t("data.refused_stored" if plan.stored_problems else "data.refused", n=len(plan.errors)))
        st.dataframe(view.problems_table(plan.errors, t), hide_index=True)
    if plan.warnings:
        with st.expander(t("data.upload_warnings", n=len(plan.warnings))):
            st.dataframe(view.problems_table(plan.warnings, t), hide_index=True)
    if plan.ok:
        n = partial(fmt.number, lang=lg)
        if plan.changed:
            st.success(t("data.valid", rows=n(plan.rows_upload), added=n(plan.added), replaced=n(plan.replaced),
                         unchanged=n(plan.unchanged), dataset=t(f"data.ds.{plan.dataset}"),
                         before=n(plan.rows_before), after=n(plan.rows_after)))
        else:
            st.info(t("data.no_change"))
        if plan.build == "incremental":
            st.caption(t("data.build.incremental"))
        elif plan.build_reason:
            st.caption(t("data.build.full", reason=view.md(plan.build_reason)))
        st.markdown(f"**{t('data.changes')}**")
        st.dataframe(view.changes_table(plan, f.ref.units, t, lg), hide_index=True)
        if plan.kpis:
            span = view.when_range(plan.period, lg)
            st.markdown(f"**{view.md(t('data.kpis', period=span))}**")
            st.dataframe(view.kpi_table(plan, t, lg), hide_index=True)
        if plan.changed:
            sure = st.checkbox(t("data.confirm"), key="data_confirm")
            c1, c2 = st.columns(2)
            if c1.button(t("data.apply"), type="primary", disabled=not sure, key="data_apply"):
                try:
                    version = steward.apply(plan, who=who)
                    st.session_state["data_flash"] = ("ok", t("data.applied", file=view.md(plan.upload_name),
                                                              version=version.name))
                except (steward.StaleError, ValueError) as exc:
                    st.session_state["data_flash"] = ("error", t("data.stale", reason=view.md(exc)))
                st.session_state["data_plan"] = None
                st.rerun()
            if c2.button(t("data.cancel"), key="data_cancel"):
                staging.discard(plan)
                st.session_state["data_plan"] = None
                st.rerun()

# versions, one click to restore
st.subheader(t("data.versions"))
st.caption(t("data.versions.note", n=settings.get("keep_versions")))
versions = db.versions()
st.dataframe(view.versions_table(versions, t, lg), hide_index=True)
older = [i for i, v in enumerate(versions) if not v["current"]] if can_steward else []
for col, i in zip(st.columns(max(len(older), 1)), older):
    if col.button(t("data.restore", n=i), key=f"data_restore_{i}"):
        try:
            target = steward.rollback(i, who=who)
            st.session_state["data_flash"] = ("ok", t("data.restored", version=target.name))
        except ValueError as exc:
            st.session_state["data_flash"] = ("error", t("data.stale", reason=view.md(exc)))
        st.rerun()

# audit log
st.subheader(t("data.audit"))
entries = steward.audit()
if entries:
    st.dataframe(view.audit_table(entries, t, lg), hide_index=True)
else:
    st.caption(t("data.audit.empty"))
