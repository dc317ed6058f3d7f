"""Strings of the Data page ("Dữ liệu"): datasets, completeness, upload, dry run, versions, audit log."""

STRINGS = {
    "data.title": {"vi": "Dữ liệu", "en": "Data"},
    "data.caption": {"vi": "Phiên bản {fingerprint}, nạp lúc {built}. Mọi số liệu trên bảng điều hành đọc từ phiên bản này.",
                     "en": "Version {fingerprint}, loaded {built}. Every figure of the dashboard reads this version."},
    "data.origin.sample": {"vi": "Mẫu", "en": "Sample"},
    "data.origin.official": {"vi": "Chính thức", "en": "Official"},
    "data.origin.mixed": {"vi": "Mẫu + chính thức", "en": "Sample + official"},
    "data.badge": {"vi": "Nguồn: {origin}", "en": "Source: {origin}"},
    # datasets (the contract's names)
    "data.ds.dossiers": {"vi": "Hồ sơ TTHC", "en": "Dossiers"},
    "data.ds.tourism": {"vi": "Du lịch", "en": "Tourism"},
    "data.ds.agriculture": {"vi": "Nông nghiệp", "en": "Agriculture"},
    "data.ds.fishery": {"vi": "Thủy sản", "en": "Fishery"},
    "data.ds.staffing": {"vi": "Nhân lực", "en": "Staffing"},
    "data.ds.staffing_fields": {"vi": "Cán bộ chuyên môn theo lĩnh vực", "en": "Specialists by field"},
    "data.ds.units": {"vi": "Thông tin đơn vị", "en": "Unit facts"},
    "data.ds.events": {"vi": "Sự kiện", "en": "Events"},
    # what is loaded
    "data.loaded": {"vi": "Dữ liệu đang dùng", "en": "Data in use"},
    "data.no_file": {"vi": "(chưa có tệp)", "en": "(no file)"},
    "data.col.dataset": {"vi": "Loại dữ liệu", "en": "Dataset"},
    "data.col.file": {"vi": "Tệp", "en": "File"},
    "data.col.rows": {"vi": "Số dòng", "en": "Rows"},
    "data.col.from": {"vi": "Từ ngày", "en": "From"},
    "data.col.to": {"vi": "Đến ngày", "en": "To"},
    "data.col.updated": {"vi": "Cập nhật lần cuối", "en": "Last update"},
    "data.col.origin": {"vi": "Nguồn", "en": "Source"},
    "data.col.warnings": {"vi": "Cảnh báo", "en": "Warnings"},
    "data.col.sha": {"vi": "Mã kiểm tra SHA-256", "en": "SHA-256 checksum"},
    "data.loaded.note": {"vi": "«Mẫu»: tệp trùng khớp dữ liệu mẫu kèm theo; «Mẫu + chính thức»: số liệu tải lên đã gộp "
                                "vào dữ liệu mẫu, phần chưa thay vẫn là số minh họa.",
                         "en": "“Sample”: the file is the bundled sample; “Sample + official”: uploaded figures merged "
                               "into the sample, the rest is still illustrative."},
    "data.warnings": {"vi": "Cảnh báo khi nạp ({n})", "en": "Load warnings ({n})"},
    # completeness
    "data.completeness": {"vi": "Tình hình báo cáo", "en": "Reporting completeness"},
    "data.completeness.pick": {"vi": "Loại dữ liệu", "en": "Dataset"},
    "data.completeness.note": {
        "vi": "Hồ sơ TTHC: số hồ sơ tiếp nhận trong tháng; du lịch, thủy sản: ✓ = đã báo cáo. «chưa báo cáo»: đơn vị "
              "có báo cáo loại này trong 12 tháng qua nhưng chưa có số liệu tháng đó. «—»: đơn vị không báo cáo loại "
              "này trong 12 tháng qua.",
        "en": "Dossiers: dossiers received in the month; tourism, fishery: ✓ = reported. “not "
              "reported”: the unit reported this dataset in the last 12 months but has nothing for that month. "
              "“—”: the unit has not reported this dataset in the last 12 months."},
    "data.not_reported": {"vi": "chưa báo cáo", "en": "not reported"},
    "data.summary": {"vi": "Đơn vị đã báo cáo {month}: {parts}", "en": "Units that reported for {month}: {parts}"},
    "data.summary.part": {"vi": "{dataset} {done}/{total}", "en": "{dataset} {done}/{total}"},
    "data.summary.missing": {"vi": "(chưa báo cáo: {names})", "en": "(not reported: {names})"},
    "data.summary.none": {"vi": "Đơn vị đã báo cáo {month}: chưa có số liệu theo tháng", "en": "Units that reported for {month}: no monthly data"},
    # upload
    "data.upload": {"vi": "Tải lên số liệu", "en": "Upload data"},
    "data.upload.help": {
        "vi": "Tệp CSV, CSV.GZ hoặc XLSX, tối đa {mb} MB. Quy tắc gộp: tệp tải lên thay các dòng của những đơn vị "
              "và kỳ có trong tệp, giữ nguyên phần còn lại, nên có thể nạp từng tháng một. Hồ sơ TTHC khớp theo mã hồ "
              "sơ. Luôn chạy thử trước; chỉ áp dụng khi đã xem kết quả.",
        "en": "CSV, CSV.GZ or XLSX file, at most {mb} MB. Merge rule: the upload replaces the rows of the units and "
              "periods it contains and keeps the rest, so months can be added one by one. Dossiers are matched by "
              "their id. Always dry-run first; apply only after reviewing the result."},
    "data.steward_only": {"vi": "Chỉ cán bộ quản lý dữ liệu (vai trò steward) được tải lên và khôi phục phiên bản.",
                          "en": "Only data stewards (role steward) may upload and restore versions."},
    "data.upload.file": {"vi": "Tệp số liệu", "en": "Data file"},
    "data.upload.dataset": {"vi": "Tệp này là dữ liệu", "en": "This file holds"},
    "data.upload.who": {"vi": "Người tải lên: {who} (sẽ ghi tên khi có đăng nhập)",
                        "en": "Uploaded by: {who} (names once login exists)"},
    "data.dry_run": {"vi": "Chạy thử", "en": "Dry run"},
    "data.running": {"vi": "Đang kiểm tra và chạy thử…", "en": "Checking and dry-running…"},
    "data.refused": {"vi": "Tệp bị từ chối: {n} lỗi. Dữ liệu đang dùng không thay đổi. Sửa các lỗi dưới đây rồi tải lên lại.",
                     "en": "File refused: {n} errors. The data in use is unchanged. Fix the errors below and upload again."},
    "data.refused_stored": {
        "vi": "Không chạy thử được: tệp đang lưu trong thư mục dữ liệu có {n} lỗi (không phải tệp tải lên).",
        "en": "Could not dry-run: the files stored in the data folder have {n} errors (not the upload)."},
    "data.problems": {"vi": "Các lỗi", "en": "Errors"},
    "data.upload_warnings": {"vi": "Cảnh báo ({n}): số liệu vẫn được nạp", "en": "Warnings ({n}): the data is still loaded"},
    "data.valid": {
        "vi": "Tệp hợp lệ: {rows} dòng. Nếu áp dụng: thêm {added} dòng, thay {replaced} dòng ({unchanged} dòng không "
              "đổi); {dataset}: {before} → {after} dòng.",
        "en": "Valid file: {rows} rows. If applied: {added} rows added, {replaced} replaced ({unchanged} unchanged); "
              "{dataset}: {before} → {after} rows."},
    "data.no_change": {"vi": "Tệp này không làm thay đổi dữ liệu đang dùng: không có gì để áp dụng.",
                       "en": "This file does not change the data in use: nothing to apply."},
    "data.changes": {"vi": "Thay đổi theo đơn vị và kỳ", "en": "Changes per unit and period"},
    "data.kpis": {"vi": "Chỉ tiêu toàn địa bàn, {period}: trước → sau", "en": "City-wide indicators, {period}: before → after"},
    "data.confirm": {"vi": "Tôi đã xem kết quả chạy thử và muốn áp dụng", "en": "I have reviewed the dry run and want to apply it"},
    "data.apply": {"vi": "Áp dụng", "en": "Apply"},
    "data.cancel": {"vi": "Hủy", "en": "Cancel"},
    "data.applied": {"vi": "Đã áp dụng tệp «{file}»: phiên bản mới {version}.",
                     "en": "Applied «{file}»: new version {version}."},
    "data.stale": {"vi": "Chưa áp dụng: {reason}", "en": "Not applied: {reason}"},
    "data.col.line": {"vi": "Dòng", "en": "Line"},
    "data.col.column": {"vi": "Cột", "en": "Column"},
    "data.col.value": {"vi": "Giá trị", "en": "Value"},
    "data.col.expected": {"vi": "Vấn đề / cần", "en": "Problem / expected"},
    "data.col.period": {"vi": "Kỳ", "en": "Period"},
    "data.col.added": {"vi": "Thêm mới", "en": "Added"},
    "data.col.replaced": {"vi": "Thay thế", "en": "Replaced"},
    "data.col.unchanged": {"vi": "Trong đó không đổi", "en": "Of which unchanged"},
    "data.col.rows_before": {"vi": "Số dòng hiện có", "en": "Rows now"},
    "data.col.rows_after": {"vi": "Số dòng sau khi nạp", "en": "Rows after"},
    "data.col.change": {"vi": "Thay đổi", "en": "Change"},
    "data.status.added": {"vi": "thêm mới", "en": "added"},
    "data.status.replaced": {"vi": "thay thế", "en": "replaced"},
    "data.status.unchanged": {"vi": "không đổi", "en": "unchanged"},
    "data.col.indicator": {"vi": "Chỉ tiêu", "en": "Indicator"},
    "data.col.before": {"vi": "Trước", "en": "Before"},
    "data.col.after": {"vi": "Sau", "en": "After"},
    "data.col.delta": {"vi": "Chênh lệch", "en": "Difference"},
    # versions and audit log
    "data.versions": {"vi": "Các phiên bản", "en": "Versions"},
    "data.versions.note": {
        "vi": "Giữ {n} phiên bản gần nhất. Khôi phục một phiên bản sẽ đưa cả cơ sở dữ liệu lẫn thư mục dữ liệu về "
              "đúng lúc đó; các phiên bản mới hơn vẫn được giữ để có thể quay lại.",
        "en": "The last {n} versions are kept. Restoring a version brings back both the database and the data "
              "folder as they were; newer versions stay listed so you can go forward again."},
    "data.col.built": {"vi": "Tạo lúc", "en": "Built"},
    "data.col.fingerprint": {"vi": "Dấu vân tay", "en": "Fingerprint"},
    "data.col.contents": {"vi": "Số dòng", "en": "Rows"},
    "data.col.state": {"vi": "Trạng thái", "en": "State"},
    "data.current": {"vi": "đang dùng", "en": "in use"},
    "data.restore": {"vi": "Khôi phục phiên bản {n}", "en": "Restore version {n}"},
    "data.restored": {"vi": "Đã khôi phục phiên bản {version}.", "en": "Restored version {version}."},
    "data.audit": {"vi": "Nhật ký thay đổi", "en": "Audit log"},
    "data.audit.empty": {"vi": "Chưa có lần tải lên hay khôi phục nào.", "en": "No upload or rollback yet."},
    "data.col.when": {"vi": "Thời điểm", "en": "When"},
    "data.col.who": {"vi": "Người thực hiện", "en": "Who"},
    "data.col.action": {"vi": "Thao tác", "en": "Action"},
    "data.col.rows_upload": {"vi": "Dòng tải lên", "en": "Rows uploaded"},
    "data.col.version": {"vi": "Phiên bản", "en": "Version"},
    "data.action.upload": {"vi": "tải lên", "en": "upload"},
    "data.action.rollback": {"vi": "khôi phục", "en": "rollback"},
    # progress of long work (communes/progress.py): the upload page's bar and the command line
    "progress.reading": {"vi": "Đang đọc tệp", "en": "Reading the file"},
    "progress.checking": {"vi": "Đang kiểm tra", "en": "Checking"},
    "progress.building": {"vi": "Đang dựng phiên bản mới", "en": "Building the new version"},
    "progress.done": {"vi": "Xong", "en": "Done"},
    "progress.rows": {"vi": "{n} dòng", "en": "{n} rows"},
    "progress.rate": {"vi": "{n} dòng/giây", "en": "{n} rows/s"},
    "data.build.incremental": {"vi": "Phiên bản mới được dựng tiếp từ phiên bản đang dùng (chỉ tính lại phần tệp này "
                                     "làm thay đổi).",
                               "en": "The new version is built on the current one (only what this file changes is "
                                     "recomputed)."},
    "data.build.full": {"vi": "Phiên bản mới được dựng lại toàn bộ: {reason}.",
                        "en": "The new version is rebuilt in full: {reason}."},
}
