from django.urls import path

from accounts.views import auth, certificates, holidays, profile, registration

app_name = "accounts"

urlpatterns = [
    # Sign-in, two-factor, passwords
    path("masuk/", auth.LoginView.as_view(), name="login"),
    path("keluar/", auth.LogoutView.as_view(), name="logout"),
    path("verifikasi-2fa/", auth.otp_verify, name="otp-verify"),
    path("2fa/aktifkan/", auth.otp_setup, name="otp-setup"),
    path("2fa/kode-cadangan/", auth.otp_recovery_codes, name="otp-recovery-codes"),
    path("ganti-password/", auth.password_change, name="password-change"),
    path("lupa-password/", auth.password_forgot, name="password-forgot"),
    path("lupa-password/terkirim/", auth.password_forgot_sent, name="password-forgot-sent"),
    path("reset/<uidb64>/<token>/", auth.PasswordResetConfirmView.as_view(), name="password-reset-confirm"),
    # Registration and UPP validation
    path("registrasi/", registration.register, name="register"),
    path("registrasi/bukti/", registration.register_receipt, name="register-receipt"),
    path("registrasi/cek-nib/", registration.register_check_nib, name="register-check-nib"),
    path("validasi/", registration.registration_queue, name="registration-queue"),
    path("validasi/<int:pk>/", registration.registration_detail, name="registration-detail"),
    path("validasi/<int:pk>/setujui/", registration.registration_approve, name="registration-approve"),
    path("validasi/<int:pk>/tolak/", registration.registration_reject, name="registration-reject"),
    path("validasi/<int:pk>/nib.pdf", registration.registration_nib_file, name="registration-nib-file"),
    path("validasi/<int:pk>/periksa-ulang/", registration.registration_recheck, name="registration-recheck"),
    path("hari-libur/", holidays.holiday_list, name="holiday-list"),
    path("hari-libur/tambah/", holidays.holiday_add, name="holiday-add"),
    path("hari-libur/<int:pk>/hapus/", holidays.holiday_delete, name="holiday-delete"),
    # Data Perusahaan
    path("profil/", profile.profile, name="profile"),
    path("profil/bidang-usaha/", profile.profile_kbli, name="profile-kbli"),
    path("profil/kapasitas/", profile.profile_capacity, name="profile-capacity"),
    path("profil/perizinan/tambah/", profile.licence_add, name="licence-add"),
    path("profil/perizinan/<int:pk>/hapus/", profile.licence_delete, name="licence-delete"),
    path("profil/riwayat/", profile.profile_history, name="profile-history"),
    path("profil/sertifikat.pdf", certificates.certificate_own, name="certificate-own"),
    path("profil/<slug:section>/", profile.profile_edit, name="profile-edit"),
    # Bukti Kepemilikan Akun
    path("sertifikat/", certificates.certificate_admin, name="certificate-admin"),
    path("sertifikat/pabrik/<int:factory_pk>/terbitkan/", certificates.certificate_issue, name="certificate-issue"),
    path("sertifikat/<int:pk>/cabut/", certificates.certificate_revoke, name="certificate-revoke"),
    path("sertifikat/<int:pk>/pdf/", certificates.certificate_pdf, name="certificate-pdf"),
    path("sertifikat/cek/<str:token>/", certificates.certificate_check, name="certificate-check"),
]
